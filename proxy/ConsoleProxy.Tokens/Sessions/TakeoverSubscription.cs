using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Sessions;

/// <summary>The handle of <see cref="SessionDirectory.SubscribeTakeoversAsync"/>: disposing it unsubscribes.</summary>
internal sealed class TakeoverSubscription(ChannelMessageQueue queue) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await queue.UnsubscribeAsync();
        }
        catch (RedisException)
        {
            // Disconnected: there is no subscription left to end.
        }
    }
}
