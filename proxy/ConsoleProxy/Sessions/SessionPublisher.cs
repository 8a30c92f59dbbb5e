using System.Threading.Channels;
using ConsoleProxy.Configuration;
using ConsoleProxy.Metrics;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Sessions;

/// <summary>
/// Publishes this process's live sessions to the token store (<see cref="SessionDirectory"/>): all of them in one
/// pipelined batch every <see cref="SessionDirectory.RefreshInterval"/>, and at once when a session starts (so other
/// proxies count it for their session limits); an ended session is removed at once. A killed process stops
/// refreshing, so its sessions stop counting within <see cref="SessionDirectory.TimeToLive"/>. A failed publish is
/// logged and counted, never fatal: the next interval tries again.
/// </summary>
public sealed partial class SessionPublisher(
    SessionRegistry registry,
    SessionDirectory directory,
    ProxyOptions options,
    ProxyMetrics metrics,
    TimeProvider timeProvider,
    ILogger<SessionPublisher> logger) : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Publish and remove take turns, so a batch built from a snapshot that still held a session cannot land after
    // that session's removal and bring it back until the TTL.
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>The session as the directory shows it.</summary>
    public PublishedSession Describe(ConsoleSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new PublishedSession(
            session.TokenHash.Hex,
            session.Record.Owner,
            options.InstanceName,
            session.Id,
            session.Client,
            ConsoleKindNames.NameOf(session.Record.Kind),
            session.Record.Target.ToString(),
            session.Record.IsViewOnly,
            session.StartedAt,
            session.BytesToTarget,
            session.BytesToClient);
    }

    /// <summary>A session registered: publish now rather than at the next interval.</summary>
    public void SessionStarted() => _wake.Writer.TryWrite(true);

    /// <summary>A session left the registry: remove its entry now (and refresh the rest, which updates the gauge).</summary>
    public async Task SessionEndedAsync(ConsoleSession session)
    {
        _wake.Writer.TryWrite(true);
        using var timeout = new CancellationTokenSource(SessionDirectory.RefreshInterval, timeProvider);
        try
        {
            await _turn.WaitAsync(timeout.Token);
            try
            {
                await directory.RemoveAsync(Describe(session), timeout.Token);
            }
            finally
            {
                _turn.Release();
            }
        }
        catch (Exception e) when (e is TokenStoreUnavailableException or OperationCanceledException)
        {
            // Its entry expires within the TTL on its own.
            metrics.SessionPublishFailures.Inc();
            LogRemoveFailed(session.Id, e.Message);
        }
    }

    /// <summary>One refresh of every live session; true when the store took it.</summary>
    public async Task<bool> PublishOnceAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var sessions = registry.Snapshot().Select(Describe).ToList();
            await directory.PublishAsync(sessions, cancellationToken);
            metrics.SessionsPublished.Set(sessions.Count);
            return true;
        }
        catch (TokenStoreUnavailableException e)
        {
            metrics.SessionPublishFailures.Inc();
            LogPublishFailed(e.Message);
            return false;
        }
        finally
        {
            _turn.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PublishOnceAsync(stoppingToken);
            using var interval = new CancellationTokenSource(SessionDirectory.RefreshInterval, timeProvider);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, interval.Token);
            try
            {
                await _wake.Reader.WaitToReadAsync(wait.Token);
                _wake.Reader.TryRead(out _);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The interval passed: refresh.
            }
        }
    }

    public override void Dispose()
    {
        _turn.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Could not publish the live sessions to the token store (they expire there within the TTL unless the next refresh succeeds): {Reason}")]
    private partial void LogPublishFailed(string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Could not remove ended session {SessionId} from the token store (its entry expires within the TTL): {Reason}")]
    private partial void LogRemoveFailed(long sessionId, string reason);
}
