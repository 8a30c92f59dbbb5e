using System.Collections.Concurrent;
using ConsoleProxy.Configuration;
using ConsoleProxy.Metrics;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Sessions;

/// <summary>
/// Publishes this process's live sessions to the token store (<see cref="SessionDirectory"/>): all of them, a chunk at
/// a time, every <see cref="SessionDirectory.RefreshInterval"/>; a starting session alone, at once (so other
/// proxies count it for their session limits); an ended session is removed at once. Neither a start nor an end
/// republishes the others: that made each session's start cost a batch of every live session (O(N) per start).
/// A session no limit counts (its token has no max_sessions and there is no --max-sessions-per-target) is not published
/// alone: nobody admits or refuses by it, only the operator's status and `sessions list` show it, so it waits up to
/// <see cref="DeferredPublishDelay"/> and goes out in one batch with the others that started meanwhile, and one that ends
/// before then is never published nor removed. Most console sessions of a busy fleet that are opened and closed again
/// within a second (a reload, a probe, a reconnect) then cost one Redis command (the redemption) instead of three.
/// A killed process stops refreshing, so its sessions stop counting within <see cref="SessionDirectory.TimeToLive"/>.
/// A failed publish is logged and counted, never fatal: the next interval tries again. Each refresh also reads the
/// takeovers other proxies asked of this one and closes those sessions, in case their pub/sub message was lost.
/// </summary>
public sealed partial class SessionPublisher(
    SessionRegistry registry,
    SessionDirectory directory,
    ProxyOptions options,
    ProxyMetrics metrics,
    TimeProvider timeProvider,
    ILogger<SessionPublisher> logger) : BackgroundService
{
    // Publish and remove take turns, so a batch built from a snapshot that still held a session cannot land after
    // that session's removal and bring it back until the TTL.
    private readonly SemaphoreSlim _turn = new(1, 1);

    // Started sessions no limit counts, not yet published: by id. Taken out under _turn by whoever publishes or ends them.
    private readonly ConcurrentDictionary<long, ConsoleSession> _deferred = new();

    // 1 while a deferred batch is scheduled, so a burst of starts schedules one.
    private int _deferredFlushScheduled;

    // Set when the host stops. A deferred batch that wakes after it publishes nothing (the sessions end with the process)
    // and leaves the turn alone: disposed by then, it would throw at a session end of another process's making (a test
    // counting first-chance exceptions saw it).
    private volatile bool _stopped;

    /// <summary>How long an uncounted session's publication may wait, to go out in one batch with others.</summary>
    public static readonly TimeSpan DeferredPublishDelay = TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// A session registered. One a limit counts is published now rather than at the next interval, not awaited by the
    /// session: the command is queued on the connection before this returns, so the session's removal, queued later,
    /// lands after it. Any other waits up to <see cref="DeferredPublishDelay"/> for a batch.
    /// </summary>
    public void SessionStarted(ConsoleSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (IsCounted(session))
        {
            _ = PublishStartedAsync(session);
            return;
        }

        _deferred[session.Id] = session;
        if (Interlocked.Exchange(ref _deferredFlushScheduled, 1) == 0)
        {
            _ = PublishDeferredAsync();
        }
    }

    /// <summary>Whether another admission may count this session: then it is published at once.</summary>
    public bool IsCounted(ConsoleSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Record.MaxSessions is not null || options.MaxSessionsPerTarget > 0;
    }

    /// <summary>A session left the registry: remove its entry now.</summary>
    public async Task SessionEndedAsync(ConsoleSession session)
    {
        using var timeout = new CancellationTokenSource(SessionDirectory.RefreshInterval, timeProvider);
        try
        {
            await _turn.WaitAsync(timeout.Token);
            try
            {
                // Still deferred: no batch or refresh published it (both take it out under this same turn), so there is
                // nothing to remove, and taking it out here keeps a later batch from publishing it.
                if (!_deferred.TryRemove(session.Id, out _))
                {
                    await directory.RemoveAsync(Describe(session), timeout.Token);
                }

                metrics.SessionsPublished.Set(registry.Count);
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
            var live = registry.Snapshot();
            foreach (var session in live)
            {
                _deferred.TryRemove(session.Id, out _);
            }

            // Described a chunk at a time as the directory sends them, so a refresh keeps no description of every session alive.
            var takeovers = await directory.RefreshAsync(options.InstanceName, live.Select(Describe), cancellationToken);
            metrics.SessionsPublished.Set(live.Count);
            foreach (var takeover in takeovers)
            {
                // Usually the pub/sub message closed it already (then this is a no-op); this catches a lost message.
                if (registry.Find(takeover.SessionId) is { } session && session.Terminate(SessionCloseReason.TakenOver(takeover.Limit)))
                {
                    LogTakenOverOnRefresh(takeover.SessionId, session.TokenHash.ShortForm);
                }
            }

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
            try
            {
                await Task.Delay(SessionDirectory.RefreshInterval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task PublishStartedAsync(ConsoleSession session)
    {
        using var timeout = new CancellationTokenSource(SessionDirectory.RefreshInterval, timeProvider);
        try
        {
            await directory.PublishStartedAsync(Describe(session), timeout.Token);
            metrics.SessionsPublished.Set(registry.Count);
        }
        catch (Exception e) when (e is TokenStoreUnavailableException or OperationCanceledException)
        {
            // The next refresh publishes it.
            metrics.SessionPublishFailures.Inc();
            LogPublishFailed(e.Message);
        }
    }

    private async Task PublishDeferredAsync()
    {
        try
        {
            await Task.Delay(DeferredPublishDelay, timeProvider);
        }
        finally
        {
            // Starts from here on schedule the next batch; the ones already deferred go out in this one.
            Volatile.Write(ref _deferredFlushScheduled, 0);
        }

        if (_stopped)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(SessionDirectory.RefreshInterval, timeProvider);
        try
        {
            await _turn.WaitAsync(timeout.Token);
            try
            {
                var batch = new List<ConsoleSession>(_deferred.Count);
                foreach (var id in _deferred.Keys)
                {
                    if (_deferred.TryRemove(id, out var session))
                    {
                        batch.Add(session);
                    }
                }

                if (batch.Count > 0)
                {
                    await directory.PublishAsync(batch.Select(Describe), timeout.Token);
                }

                metrics.SessionsPublished.Set(registry.Count);
            }
            finally
            {
                _turn.Release();
            }
        }
        catch (Exception e) when (e is TokenStoreUnavailableException or OperationCanceledException)
        {
            // The next refresh publishes them.
            metrics.SessionPublishFailures.Inc();
            LogPublishFailed(e.Message);
        }
        catch (ObjectDisposedException)
        {
            // The process is stopping: its sessions end with it.
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        return base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _turn.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Could not publish the live sessions to the token store (they expire there within the TTL unless the next refresh succeeds): {Reason}")]
    private partial void LogPublishFailed(string reason);

    [LoggerMessage(EventId = 34, Level = LogLevel.Information, Message = "Session {SessionId} (token {Token}) taken over by a newer session on another proxy (4006), found on the refresh: the takeover message did not arrive")]
    private partial void LogTakenOverOnRefresh(long sessionId, string token);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Could not remove ended session {SessionId} from the token store (its entry expires within the TTL): {Reason}")]
    private partial void LogRemoveFailed(long sessionId, string reason);
}
