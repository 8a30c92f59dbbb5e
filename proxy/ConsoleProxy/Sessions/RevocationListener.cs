using ConsoleProxy.Spice;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Sessions;

/// <summary>
/// The process's one subscription to the revocation channel: a revoked token's live sessions close
/// with 4001 as soon as the message arrives. The proxy must start even while Redis is down, so
/// the first subscription is retried in the background until it succeeds; after that the store
/// resubscribes by itself when the connection comes back.
/// </summary>
public sealed partial class RevocationListener(
    ITokenStore store,
    SessionRegistry registry,
    SpiceChannelWindow spiceChannels,
    TimeProvider timeProvider,
    ILogger<RevocationListener> logger) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _subscribing;
    private IAsyncDisposable? _subscription;
    private int _stopped;

    /// <summary>Completes once the subscription is in place (tests wait for it before revoking).</summary>
    public Task Subscribed => _subscribed.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscribing = SubscribeUntilDoneAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_subscribing is not null)
        {
            await _subscribing;
        }

        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
            _subscription = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private async Task SubscribeUntilDoneAsync(CancellationToken cancellationToken)
    {
        var delay = RetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                _subscription = await store.SubscribeRevocationsAsync(OnRevokedAsync, cancellationToken);

                // While Redis is down the client only registers the subscription; say what is true.
                if (await store.PingAsync(cancellationToken))
                {
                    LogSubscribed();
                }
                else
                {
                    LogSubscriptionPending();
                }

                _subscribed.TrySetResult();
                return;
            }
            catch (TokenStoreUnavailableException e)
            {
                LogSubscribeFailed(delay.TotalSeconds, e.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private ValueTask OnRevokedAsync(TokenHash hash)
    {
        // First the window, so no SPICE channel of this token joins after its sessions are closed.
        spiceChannels.Forget(hash);
        var closed = registry.Revoke(hash);
        LogRevoked(hash.ShortForm, closed);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Subscribed to token revocations")]
    private partial void LogSubscribed();

    [LoggerMessage(EventId = 27, Level = LogLevel.Warning, Message = "The token store is unreachable: the subscription to token revocations is registered and takes effect once it is back (readiness stays 503 until then)")]
    private partial void LogSubscriptionPending();

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Cannot subscribe to token revocations yet, retrying in {DelaySeconds} s: {Error}")]
    private partial void LogSubscribeFailed(double delaySeconds, string error);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Token {Token} revoked: closing {Sessions} live session(s)")]
    private partial void LogRevoked(string token, int sessions);
}
