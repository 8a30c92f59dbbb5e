using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>Opens the token store for one CLI verb and turns "Redis is unreachable" into a one-line error.</summary>
internal static class TokenStoreCalls
{
    /// <summary>Runs <paramref name="call"/>; false (after printing why) when the store could not be reached.</summary>
    public static async Task<bool> RunAsync(TokenStoreOptions options, CommandLineContext context, Func<ITokenStore, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await using var store = await RedisTokenStore.ConnectAsync(options, context.TimeProvider, cancellationToken);
            await call(store, cancellationToken);
            return true;
        }
        catch (TokenStoreUnavailableException e)
        {
            await context.Error.WriteLineAsync($"token store {options} unreachable: {e.Message}");
            return false;
        }
    }
}
