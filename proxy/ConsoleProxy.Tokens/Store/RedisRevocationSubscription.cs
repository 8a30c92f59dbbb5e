using ConsoleProxy.Tokens.Minting;
using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// One subscriber to the revocation channel. StackExchange.Redis keeps the subscription in its own
/// table and renews it on every reconnect, so this stays live across Redis restarts; disposing
/// removes exactly this handler and leaves other subscribers on the same multiplexer alone.
/// StackExchange.Redis 1.2.6 can report a subscription made right after connecting as done while the
/// server never registered it (seen about once in 150 fresh connections): revocations would then be
/// missed for good. So a start is confirmed by publishing a probe on the channel and hearing it back,
/// and the subscription is made again when the probe does not arrive.
/// </summary>
internal sealed class RedisRevocationSubscription : IAsyncDisposable
{
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly Func<TokenHash, ValueTask> _onRevoked;
    private readonly Action<RedisChannel, RedisValue> _handler;
    private readonly Func<bool> _clientClosed;
    private readonly TimeProvider _timeProvider;
    // The probe being waited for; its AsyncState is the probe's text. One reference, read atomically by the message handler.
    private volatile TaskCompletionSource? _pendingProbe;
    private int _disposed;

    public RedisRevocationSubscription(ISubscriber subscriber, RedisChannel channel, Func<TokenHash, ValueTask> onRevoked, Func<bool> clientClosed, TimeProvider timeProvider)
    {
        _subscriber = subscriber;
        _timeProvider = timeProvider;
        _clientClosed = clientClosed;
        _channel = channel;
        _onRevoked = onRevoked;
        _handler = OnMessage;
    }

    /// <summary>Probe messages on the revocation channel start with this; subscribers ignore them (they are not hashes).</summary>
    public const string ProbePrefix = "probe:";

    private const int StartAttempts = 3;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Subscribes and confirms the server delivers to us. While Redis is unreachable the probe cannot be
    /// sent: the subscription is kept as made, and the client registers it when Redis comes back.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await _subscriber.SubscribeAsync(_channel, _handler);
            if (await ProbeAsync(cancellationToken) is not false)
            {
                return;
            }

            await _subscriber.UnsubscribeAsync(_channel, _handler);
            if (attempt == StartAttempts)
            {
                throw new TokenStoreUnavailableException(
                    $"the subscription to {_channel} was not confirmed after {StartAttempts} attempts: Redis accepted it but delivered no probe");
            }
        }
    }

    /// <summary>True when our own probe came back, false when it was published but never delivered, null when it could not be published.</summary>
    private async Task<bool?> ProbeAsync(CancellationToken cancellationToken)
    {
        var id = ProbePrefix + Guid.NewGuid().ToString("N");
        var heard = new TaskCompletionSource(id, TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingProbe = heard;
        try
        {
            await _subscriber.PublishAsync(_channel, id);
        }
        catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
        {
            return null;
        }

        try
        {
            await heard.Task.WaitAsync(ProbeTimeout, _timeProvider, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _pendingProbe = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // StackExchange.Redis 1.2.6 throws NullReferenceException from UNSUBSCRIBE on a disposed
        // multiplexer; its subscriptions died with it anyway.
        if (_clientClosed())
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

        var text = (string?)message;
        if (text is not null && text.StartsWith(ProbePrefix, StringComparison.Ordinal))
        {
            if (_pendingProbe is { } probe && (string?)probe.Task.AsyncState == text)
            {
                probe.TrySetResult();
            }

            return;
        }

        // Anyone who can PUBLISH on the channel can send anything: only a well-formed hash counts.
        if (TokenHash.FromHex(text) is not { } hash)
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
