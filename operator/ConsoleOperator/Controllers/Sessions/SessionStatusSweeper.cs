using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
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
/// ConsoleToken and per ConsoleProxy per period, and none while nothing changed; a proxy pod's sessions count for
/// <see cref="SessionDirectory.TimeToLive"/> after its last refresh, so a killed pod's sessions leave status within
/// that TTL plus one period (plus the connect timeout of any store that does not answer, since a sweep reads every
/// store at once and waits for the slowest). The fields have their own field manager, so the ConsoleToken and ConsoleProxy
/// controllers' own status applies neither remove them nor are woken by them into writing.
/// </summary>
public sealed class SessionStatusSweeper
{
    /// <summary>The server-side apply field manager of the session fields.</summary>
    public const string FieldManager = "console-operator-sessions";

    private readonly InformerCache<ConsoleProxyResource> _proxies;
    private readonly InformerCache<ConsoleTokenResource> _tokens;
    private readonly ProxyTokenStores _stores;
    private readonly StatusApplier<ConsoleTokenResource> _tokenStatus;
    private readonly StatusApplier<ConsoleProxyResource> _proxyStatus;
    private readonly SessionMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SessionStatusSweeper(
        InformerCache<ConsoleProxyResource> proxies,
        InformerCache<ConsoleTokenResource> tokens,
        ProxyTokenStores stores,
        StatusApplier<ConsoleTokenResource> tokenStatus,
        StatusApplier<ConsoleProxyResource> proxyStatus,
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

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await SweepAsync(cancellationToken);
                }
                catch (KubernetesApiException exception)
                {
                    // The next sweep computes everything again from the caches and the stores.
                    _logger.LogWarning("The session sweep could not write a status: {Message}", exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass over every ConsoleProxy: one session list per token store, the changed statuses written.</summary>
    public async Task<SessionSweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var tokensByProxy = _tokens.List().ToLookup(ConsoleTokenFacts.ProxyKey);
        int read = 0, unreadable = 0, tokenWrites = 0, proxyWrites = 0, seen = 0;
        // Every store is read at once: a store that does not answer costs the sweep its own timeout, not every other
        // proxy's status that timeout (read one after another, a few dead stores pushed a killed pod's sessions well
        // past the stated bound of TTL + one period).
        var live = _proxies.List().Where(proxy => proxy.Metadata.DeletionTimestamp is null).ToList();
        var lists = await Task.WhenAll(live.Select(proxy => ListAsync(proxy, cancellationToken)));
        foreach (var (proxy, sessions) in live.Zip(lists))
        {
            if (sessions is null)
            {
                unreadable++;
                continue;
            }

            read++;
            seen += sessions.Count;
            var byOwner = sessions.ToLookup(session => session.Owner, StringComparer.Ordinal);
            foreach (var token in tokensByProxy[ObjectKeys.Of(proxy)])
            {
                if (token.Metadata.DeletionTimestamp is null
                    && SessionStatus.For(token, [.. byOwner[ConsoleTokenFacts.Describe(token)]]) is { } desired
                    && (await _tokenStatus.ApplyAsync(token, Node(desired), cancellationToken)).Written)
                {
                    tokenWrites++;
                }
            }

            if ((await _proxyStatus.ApplyAsync(proxy, Node(new ConsoleProxyStatus { ActiveSessions = sessions.Count }), cancellationToken)).Written)
            {
                proxyWrites++;
            }
        }

        _metrics?.Swept(seen, tokenWrites, proxyWrites, unreadable);
        return new SessionSweepResult(read, unreadable, tokenWrites, proxyWrites, seen);
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
            _logger.LogDebug("Sessions of ConsoleProxy {Proxy} not read this sweep: {Message}", ObjectKeys.Of(proxy), exception.Message);
            return null;
        }
    }

    private static JsonNode Node<T>(T status) => JsonSerializer.SerializeToNode(status, EntityJson.TypeInfo<T>())!;
}
