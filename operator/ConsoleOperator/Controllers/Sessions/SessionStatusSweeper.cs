using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Telemetry;
using ConsoleOperator.TokenStores;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Controllers.Sessions;

/// <summary>
/// Shows who is connected: every <see cref="Period"/> it lists each ConsoleProxy's live sessions with one read of its
/// token store (<see cref="SessionDirectory.ListAllAsync"/>, never one read per token) and writes ConsoleToken
/// <c>status.sessions</c>/<c>status.lastConnectedAt</c> and ConsoleProxy <c>status.activeSessions</c>. A status is
/// patched (server-side apply on /status) only when it changed, so the bound is at most one status write per
/// ConsoleToken and per ConsoleProxy per period, and none while nothing changed. Each ConsoleProxy has a loop of its
/// own (<see cref="RunAsync"/> starts one as a ConsoleProxy appears and stops it as it goes), so a store that does not
/// answer holds up only its own proxy's status: a killed pod's sessions leave status within
/// <see cref="SessionDirectory.TimeToLive"/> after their last refresh plus one period plus the time to read that
/// proxy's own store (plus up to one more period for a ConsoleProxy created since the last sweep). The fields have
/// their own field manager, so the ConsoleToken and ConsoleProxy controllers' own status applies neither remove them
/// nor are woken by them into writing.
/// </summary>
public sealed class SessionStatusSweeper
{
    /// <summary>The server-side apply field manager of the session fields.</summary>
    public const string FieldManager = "console-operator-sessions";

    private readonly InformerCache<ConsoleProxyResource> _proxies;
    private readonly InformerCache<ConsoleTokenResource> _tokens;
    private readonly ProxyTokenStores _stores;
    private readonly ServerSideApplier<ConsoleTokenResource> _tokenStatus;
    private readonly ServerSideApplier<ConsoleProxyResource> _proxyStatus;
    private readonly SessionMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // The live sessions each ConsoleProxy's last read found (a store that could not be read has none here), so the
    // sessions gauge stays the total over proxies while each is read by its own loop.
    private readonly ConcurrentDictionary<ObjectKey, int> _seen = new();

    public SessionStatusSweeper(
        InformerCache<ConsoleProxyResource> proxies,
        InformerCache<ConsoleTokenResource> tokens,
        ProxyTokenStores stores,
        ServerSideApplier<ConsoleTokenResource> tokenStatus,
        ServerSideApplier<ConsoleProxyResource> proxyStatus,
        TimeSpan period,
        TimeProvider timeProvider,
        SessionMetrics? metrics = null,
        ILogger<SessionStatusSweeper>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(tokenStatus);
        ArgumentNullException.ThrowIfNull(proxyStatus);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _proxies = proxies;
        _tokens = tokens;
        _stores = stores;
        _tokenStatus = tokenStatus;
        _proxyStatus = proxyStatus;
        Period = period;
        _time = timeProvider;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>How often the sessions are read and the statuses brought up to date.</summary>
    public TimeSpan Period { get; }

    /// <summary>
    /// Runs one sweep loop per ConsoleProxy until cancelled: every <see cref="Period"/> the loops are matched to the
    /// ConsoleProxies in the cache (a loop started for each new one, stopped for each one gone), and each loop sweeps
    /// its own proxy every period; a status the API server refused is written by that proxy's next sweep.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var loops = new Dictionary<ObjectKey, (CancellationTokenSource Stop, Task Running)>();
        try
        {
            await new PeriodicService("session sweep loops", Period, async token =>
            {
                await MatchLoopsAsync(loops, token);
            }, _time, logger: _logger).RunAsync(cancellationToken);
        }
        finally
        {
            foreach (var key in loops.Keys.ToList())
            {
                await StopLoopAsync(loops, key);
            }
        }
    }

    /// <summary>One pass over every ConsoleProxy (each store read at once): one session list per token store, the changed statuses written.</summary>
    public async Task<SessionSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var live = _proxies.List().Where(proxy => proxy.Metadata.DeletionTimestamp is null).ToList();
        var results = await Task.WhenAll(live.Select(proxy => SweepProxyAsync(proxy, cancellationToken)));
        return results.Aggregate(SessionSweepResult.None, (sum, one) => sum.Plus(one));
    }

    /// <summary>One ConsoleProxy's sweep: one session list from its token store, its tokens' and its own changed statuses written.</summary>
    public async Task<SessionSweepResult> SweepProxyAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var key = ObjectKey.Of(proxy);
        var sessions = await ListAsync(proxy, cancellationToken);
        if (sessions is null)
        {
            _seen.TryRemove(key, out _);
            _metrics?.Swept(_seen.Values.Sum(), 0, 0, 1);
            return new SessionSweepResult(0, 1, 0, 0, 0);
        }

        int tokenWrites = 0, proxyWrites = 0;
        var byOwner = sessions.ToLookup(session => session.Owner, StringComparer.Ordinal);
        foreach (var token in _tokens.List().Where(token => ConsoleTokenFacts.ProxyKey(token) == key))
        {
            if (token.Metadata.DeletionTimestamp is null
                && SessionStatus.For(token, [.. byOwner[ConsoleTokenFacts.Describe(token)]]) is { } desired
                && (await _tokenStatus.ApplyStatusAsync(token, Node(desired), cancellationToken)).Written)
            {
                tokenWrites++;
            }
        }

        if ((await _proxyStatus.ApplyStatusAsync(proxy, Node(new ConsoleProxyStatus { ActiveSessions = sessions.Count }), cancellationToken)).Written)
        {
            proxyWrites++;
        }

        _seen[key] = sessions.Count;
        _metrics?.Swept(_seen.Values.Sum(), tokenWrites, proxyWrites, 0);
        return new SessionSweepResult(1, 0, tokenWrites, proxyWrites, sessions.Count);
    }

    /// <summary>Starts a loop for each ConsoleProxy without a running one and stops the loops of those gone (or being deleted).</summary>
    private async Task MatchLoopsAsync(Dictionary<ObjectKey, (CancellationTokenSource Stop, Task Running)> loops, CancellationToken cancellationToken)
    {
        var live = _proxies.List().Where(proxy => proxy.Metadata.DeletionTimestamp is null).Select(ObjectKey.Of).ToHashSet();
        // A loop that ended by itself failed (its error is logged as it is stopped): it is started again below.
        foreach (var gone in loops.Where(loop => !live.Contains(loop.Key) || loop.Value.Running.IsCompleted).Select(loop => loop.Key).ToList())
        {
            await StopLoopAsync(loops, gone);
        }

        foreach (var key in live.Where(key => !loops.ContainsKey(key)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            loops[key] = (stop, RunLoopAsync(key, stop.Token));
        }
    }

    /// <summary>One ConsoleProxy's loop: its own sweep every period, read from the cache each time (it may have changed).</summary>
    private Task RunLoopAsync(ObjectKey key, CancellationToken cancellationToken) =>
        new PeriodicService($"session status sweep of ConsoleProxy {key}", Period, async token =>
        {
            if (_proxies.Get(key) is { Metadata.DeletionTimestamp: null } proxy)
            {
                await SweepProxyAsync(proxy, token);
            }
        }, _time, static exception => exception is KubernetesApiException, _logger).RunAsync(cancellationToken);

    private async Task StopLoopAsync(Dictionary<ObjectKey, (CancellationTokenSource Stop, Task Running)> loops, ObjectKey key)
    {
        var (stop, running) = loops[key];
        loops.Remove(key);
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(exception, "The session status sweep of ConsoleProxy {Proxy} had failed", key);
        }
        finally
        {
            stop.Dispose();
            _seen.TryRemove(key, out _);
        }
    }

    /// <summary>The proxy's live sessions, or null when its store cannot be read now (its statuses are then left alone).</summary>
    private async Task<IReadOnlyList<PublishedSession>?> ListAsync(ConsoleProxyResource proxy, CancellationToken cancellationToken)
    {
        try
        {
            var store = await _stores.GetAsync(proxy, cancellationToken);
            return await store.Sessions.ListAllAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is TokenStoreConfigurationException or TokenStoreUnavailableException or ObjectDisposedException)
        {
            // The ConsoleProxy's TokenStoreReady condition says why; a count we cannot read is not zero.
            _logger.LogDebug("Sessions of ConsoleProxy {Proxy} not read this sweep: {Message}", ObjectKey.Of(proxy), exception.Message);
            return null;
        }
    }

    private static JsonNode Node<T>(T status) => JsonSerializer.SerializeToNode(status, EntityJson.TypeInfo<T>())!;
}
