using ConsoleProxy.Tokens.Minting;
using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// One subscriber to the revocation channel. StackExchange.Redis keeps the subscription in its own
/// table and renews it on every reconnect (and, behind Sentinel, on the new primary after a
/// failover), so this stays live across Redis restarts; disposing removes exactly this handler and
/// leaves other subscribers on the same multiplexer alone.
/// </summary>
internal sealed class RedisRevocationSubscription : IAsyncDisposable
{
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly Func<TokenHash, ValueTask> _onRevoked;
    private readonly Action<RedisChannel, RedisValue> _handler;
    private int _disposed;

    public RedisRevocationSubscription(ISubscriber subscriber, RedisChannel channel, Func<TokenHash, ValueTask> onRevoked)
    {
        _subscriber = subscriber;
        _channel = channel;
        _onRevoked = onRevoked;
        _handler = OnMessage;
    }

    /// <summary>
    /// Subscribes, and while Redis is reachable waits until the server confirmed it. The client puts the
    /// handler into its table before it sends SUBSCRIBE and renews everything in that table on every
    /// reconnect, so while Redis is unreachable this does not wait (the client would hold the SUBSCRIBE
    /// until it times out): the subscription is registered when Redis comes back.
    /// </summary>
    public async Task StartAsync(bool redisReachable)
    {
        var subscribing = _subscriber.SubscribeAsync(_channel, _handler);
        if (redisReachable)
        {
            await subscribing;
            return;
        }

        _ = subscribing.ContinueWith(
            static task => _ = task.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _subscriber.UnsubscribeAsync(_channel, _handler);
        }
        catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
        {
            // The handler is already out of the client's table (or the whole client is closed);
            // the server side of the subscription went away with the connection.
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        // Anyone who can PUBLISH on the channel can send anything (proxies before this client
        // version also published "probe:..." messages here): only a well-formed hash counts.
        if (TokenHash.FromHex((string?)message) is not { } hash)
        {
            return;
        }

        _ = DeliverAsync(hash);
    }

    private async Task DeliverAsync(TokenHash hash)
    {
        try
        {
            await _onRevoked(hash);
        }
        catch (Exception)
        {
            // The client's message loop must not die with one handler's failure: later revocations
            // still have to get through. The handler owns reporting its own errors.
        }
    }
}
