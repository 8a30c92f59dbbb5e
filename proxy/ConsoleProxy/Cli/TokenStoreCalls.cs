using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>Opens the token store for one CLI verb and turns "Redis is unreachable" or "Redis refuses these options" into a one-line error.</summary>
internal static class TokenStoreCalls
{
    /// <summary>Runs <paramref name="call"/>; false (after printing why) when the options are wrong or the store could not be reached.</summary>
    public static async Task<bool> RunAsync(Func<TokenStoreOptions> readOptions, CommandLineContext context, Func<ITokenStore, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        TokenStoreOptions options;
        try
        {
            options = readOptions();
        }
        catch (ArgumentException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return false;
        }

        try
        {
            await using var store = await RedisTokenStore.ConnectAsync(options, context.TimeProvider, cancellationToken);
            await call(store, cancellationToken);
            return true;
        }
        catch (TokenStoreRefusedException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return false;
        }
        catch (ArgumentException e)
        {
            await context.Error.WriteLineAsync($"token store {options}: {e.Message}");
            return false;
        }
        catch (TokenStoreUnavailableException e)
        {
            await context.Error.WriteLineAsync(e.Message);
            return false;
        }
    }
}
