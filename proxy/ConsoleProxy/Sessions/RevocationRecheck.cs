using ConsoleProxy.Configuration;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Sessions;

/// <summary>
/// Closes the sessions whose revocation was missed. Pub/sub keeps no history, so a revocation
/// published while this pod's subscription was down never arrives; when the store says the
/// subscription is back (<see cref="RedisTokenStore.RevocationsMayHaveBeenMissed"/>), every live
/// session's token is looked up again and the ones that are gone are closed with 4001, as the
/// revocation would have.
/// Two kinds of session are left alone: single-use ones (their key is deleted when redeemed, so
/// "gone" says nothing) and those whose token expired by itself (they may outlive it unless
/// --enforce-expiry). And when every live token is missing at once, that is far more likely a
/// store that lost its data (Redis restarted without persistence; the operator rebuilds it from
/// the ConsoleToken objects) than revocations: the check is repeated with backoff, and only tokens
/// still missing after about ten minutes (the rebuild long done) are taken as revoked. A token the
/// store marks as revoked (its revoked marker) is closed at once in any case: the marker is proof.
/// Besides, the same pass runs every `--recheck-interval` (default a minute): a subscription can miss
/// a message without ever dropping (it landed on a Redis that is about to be demoted in a failover),
/// and then no reconnect would say so. One lookup per live reusable token per interval.
/// </summary>
/// <param name="store">The Redis store, for its <see cref="RedisTokenStore.RevocationsMayHaveBeenMissed"/> event.</param>
/// <param name="lookups">Where the live tokens are looked up again (the measured store, so the lookups show in the Redis metrics).</param>
public sealed partial class RevocationRecheck(
    RedisTokenStore store,
    ITokenStore lookups,
    SessionRegistry registry,
    ProxyOptions options,
    TimeProvider timeProvider,
    ILogger<RevocationRecheck> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    // About ten minutes of retries at the capped delay: longer than an operator rebuild takes.
    private const int MaxAttempts = 25;

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private bool _rerunRequested;
    private bool _running;
    private bool _subscriptionRestored;
    private Task _runner = Task.CompletedTask;
    private ITimer? _periodic;

    /// <summary>Completes when the passes started so far are over (tests wait on it).</summary>
    public Task Idle
    {
        get
        {
            lock (_lock)
            {
                return _runner;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.RevocationsMayHaveBeenMissed += OnRevocationsMayHaveBeenMissed;
        if (options.RecheckInterval > TimeSpan.Zero)
        {
            _periodic = timeProvider.CreateTimer(static state => ((RevocationRecheck)state!).Request(subscriptionRestored: false), this, options.RecheckInterval, options.RecheckInterval);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        store.RevocationsMayHaveBeenMissed -= OnRevocationsMayHaveBeenMissed;
        if (_periodic is not null)
        {
            await _periodic.DisposeAsync();
        }

        await _stopping.CancelAsync();
        await Idle.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _periodic?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>
    /// One pass: looks up every live reusable, unexpired token and closes the sessions of those that
    /// are gone, unless all are gone and this is not the <paramref name="lastAttempt"/>.
    /// </summary>
    /// <param name="periodic">A timed pass, not one after the subscription came back: it logs only when it closes something.</param>
    public async Task<RevocationRecheckResult> RecheckOnceAsync(bool lastAttempt, CancellationToken cancellationToken, bool periodic = false)
    {
        var now = timeProvider.GetUtcNow();
        var tokens = registry.Snapshot()
            .Where(session => !session.Record.IsSingleUse && session.Record.ExpiresAt > now)
            .Select(session => session.TokenHash)
            .Distinct()
            .ToList();
        var revoked = new List<TokenHash>();
        var gone = new List<TokenHash>();
        try
        {
            foreach (var hash in tokens)
            {
                var lookup = await lookups.GetAsync(hash, cancellationToken);
                if (!lookup.IsFound)
                {
                    (lookup.MissReason == TokenMissReason.Revoked ? revoked : gone).Add(hash);
                }
            }
        }
        catch (TokenStoreUnavailableException e)
        {
            LogStoreUnavailable(e.Message);
            return RevocationRecheckResult.StoreUnavailable;
        }

        // A revoked marker is certain (an emptied store has no markers either): those close now.
        var closed = revoked.Sum(registry.Revoke);
        if (gone.Count > 0 && revoked.Count + gone.Count == tokens.Count && !lastAttempt)
        {
            LogStoreLooksEmptied(tokens.Count, revoked.Count, closed);
            return RevocationRecheckResult.StoreLooksEmptied;
        }

        closed += gone.Sum(registry.Revoke);
        if (!periodic)
        {
            LogRechecked(tokens.Count, revoked.Count + gone.Count, closed);
        }
        else if (closed > 0)
        {
            LogPeriodicClosed(tokens.Count, closed);
        }

        return RevocationRecheckResult.Done;
    }

    private void OnRevocationsMayHaveBeenMissed(object? sender, EventArgs e) => Request(subscriptionRestored: true);

    private void Request(bool subscriptionRestored)
    {
        // Raised on a Redis client thread or the timer's: start (or queue) a pass and return at once.
        lock (_lock)
        {
            _rerunRequested = true;
            _subscriptionRestored |= subscriptionRestored;
            if (!_running)
            {
                _running = true;
                _runner = Task.Run(RunAsync);
            }
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            bool periodic;
            lock (_lock)
            {
                if (!_rerunRequested || _stopping.IsCancellationRequested)
                {
                    _running = false;
                    return;
                }

                _rerunRequested = false;
                periodic = !_subscriptionRestored;
                _subscriptionRestored = false;
            }

            await RecheckWithRetriesAsync(periodic, _stopping.Token);
        }
    }

    private async Task RecheckWithRetriesAsync(bool periodic, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                if (await RecheckOnceAsync(attempt == MaxAttempts, cancellationToken, periodic) == RevocationRecheckResult.Done)
                {
                    return;
                }

                if (attempt == MaxAttempts)
                {
                    break;
                }

                await Task.Delay(delay, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }

        LogGaveUp(MaxAttempts);
    }

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Revocation subscription restored: re-checked {Tokens} live token(s), {Gone} gone, {Closed} session(s) closed as revoked")]
    private partial void LogRechecked(int tokens, int gone, int closed);

    [LoggerMessage(EventId = 27, Level = LogLevel.Information, Message = "Periodic re-check of {Tokens} live token(s) closed {Closed} session(s) whose revocation this pod had not heard")]
    private partial void LogPeriodicClosed(int tokens, int closed);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Cannot re-check live sessions' tokens yet, will retry: {Error}")]
    private partial void LogStoreUnavailable(string error);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Every one of the {Tokens} live token(s) is missing from the token store: it looks emptied (restarted without persistence?) rather than revoked; keeping the sessions and checking again later (closed {Closed} session(s) of the {Revoked} token(s) marked as revoked)")]
    private partial void LogStoreLooksEmptied(int tokens, int revoked, int closed);

    [LoggerMessage(EventId = 26, Level = LogLevel.Warning, Message = "Gave up re-checking live sessions' tokens after {Attempts} attempts (the token store stayed unreachable); sessions stay open until revoked again or ended otherwise")]
    private partial void LogGaveUp(int attempts);
}
