using ConsoleProxy.Authorization;
using Prometheus;

namespace ConsoleProxy.Metrics;

/// <summary>
/// Everything /metrics exports, in a prometheus-net <see cref="CollectorRegistry"/> of this proxy instance's own (not
/// the library's static default: tests run several proxies in one process, and each must scrape only its own).
/// Counters are updated where things happen (the relay adds bytes per chunk, the endpoint counts refusals and
/// outcomes); gauges are read from the session registry just before each scrape, so they never drift from the truth.
/// prometheus-net adds the process and .NET runtime metrics (<c>process_*</c>, <c>dotnet_*</c>).
/// </summary>
public sealed class ProxyMetrics
{
    // 100 us (a loopback dial) to 10 s (past the dial timeout): both histograms share the scale.
    private static readonly double[] LatencyBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter.Child _bytesClientToServer;
    private readonly Counter.Child _bytesServerToClient;
    private readonly Counter _redisFailovers;

    /// <param name="registry">The sessions the gauges are read from (the session registry).</param>
    /// <param name="consoleProxyName">The ConsoleProxy this process serves (<c>--name</c>; empty when run without one).</param>
    public ProxyMetrics(ISessionCounts registry, string consoleProxyName)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(consoleProxyName);
        Collectors = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Collectors);
        var factory = Prometheus.Metrics.WithCustomRegistry(Collectors);

        var active = factory.CreateGauge("consoleproxy_sessions_active", "Console sessions relaying bytes now.");
        var pending = factory.CreateGauge("consoleproxy_sessions_pending", "Upgrade requests holding a session slot while their token is checked and the VNC server dialed.");
        var draining = factory.CreateGauge("consoleproxy_draining", "1 while the process drains (shutting down: new sessions are refused).");
        var live = factory.CreateGauge(
            "consoleproxy_live_sessions",
            "Console sessions relaying bytes now, labelled with the ConsoleProxy this pod serves (sum by console_proxy for a fleet's total).",
            ["console_proxy"]).WithLabels(consoleProxyName);
        Collectors.AddBeforeCollectCallback(() =>
        {
            active.Set(registry.Count);
            live.Set(registry.Count);
            pending.Set(Math.Max(0, registry.Reserved - registry.Count));
            draining.Set(registry.IsDraining ? 1 : 0);
        });

        Sessions = new LabeledCounter<SessionOutcome>(
            factory,
            "consoleproxy_sessions_total",
            "Console sessions ended since start, by outcome (why they closed).",
            "outcome");
        var bytes = factory.CreateCounter("consoleproxy_bytes_total", "Bytes relayed, by direction (client_to_server: browser to VNC server).", ["direction"]);
        _bytesClientToServer = bytes.WithLabels("client_to_server");
        _bytesServerToClient = bytes.WithLabels("server_to_client");
        AuthorizationFailures = new LabeledCounter<AuthorizationFailure>(
            factory,
            "consoleproxy_authorization_failures_total",
            "WebSocket upgrades refused before the upgrade, by reason (consumed: a single-use token used again; revoked: a revoked token; expired: still stored but past its expiry on the proxy's clock; unknown_token: never minted, dropped by the store, or removed without a marker).",
            "reason");
        HandshakeDuration = factory.CreateHistogram(
            "consoleproxy_handshake_duration_seconds",
            "Time from a WebSocket upgrade request to the upgrade answer, including token lookup and dialing the VNC server.",
            new HistogramConfiguration { Buckets = LatencyBounds });
        DialDuration = factory.CreateHistogram(
            "consoleproxy_dial_duration_seconds",
            "Time to open the TCP connection to the VNC server, successful or not.",
            new HistogramConfiguration { Buckets = LatencyBounds });
        RedisCommandDuration = new LabeledHistogram<RedisOperation>(
            factory,
            "consoleproxy_redis_command_duration_seconds",
            "Time of each token store call to Redis, successful or not, by operation (redeem: authorizing a session; lookup: the revocation re-check; revoke; store; subscribe; ping: readiness).",
            "operation",
            LatencyBounds);
        RedisCommandFailures = new LabeledCounter<RedisOperation>(
            factory,
            "consoleproxy_redis_command_failures_total",
            "Token store calls to Redis that failed (unreachable, timed out, refused), by operation; a PING that got no answer counts too.",
            "operation");
        SessionsPublished = factory.CreateGauge(
            "consoleproxy_sessions_published",
            "Live sessions this process published to the token store at its last successful refresh (who is connected; `consoleproxy sessions list`).");
        SessionPublishFailures = factory.CreateCounter(
            "consoleproxy_session_publish_failures_total",
            "Refreshes or removals of published sessions the token store did not take (entries then expire within their 15 s TTL).");
        SessionTakeovers = factory.CreateCounter(
            "consoleproxy_session_takeovers_total",
            "Sessions closed with 4006 because a newer one exceeded a session limit under --on-session-limit takeover (requested by this process; the closed one may live on another).");
        _redisFailovers = factory.CreateCounter(
            "consoleproxy_redis_failovers_total",
            "Changes of the Redis primary this proxy has seen since start (a Sentinel failover moved the token store to another server).");
    }

    /// <summary>What /metrics exposes.</summary>
    public CollectorRegistry Collectors { get; }

    public LabeledCounter<SessionOutcome> Sessions { get; }

    public Gauge SessionsPublished { get; }

    public Counter SessionPublishFailures { get; }

    public Counter SessionTakeovers { get; }

    public LabeledCounter<AuthorizationFailure> AuthorizationFailures { get; }

    /// <summary>From the upgrade request's arrival to the 101 answer: token lookup, policy, resolve, dial.</summary>
    public Histogram HandshakeDuration { get; }

    public Histogram DialDuration { get; }

    public LabeledHistogram<RedisOperation> RedisCommandDuration { get; }

    public LabeledCounter<RedisOperation> RedisCommandFailures { get; }

    public long BytesClientToServer => (long)_bytesClientToServer.Value;

    public long BytesServerToClient => (long)_bytesServerToClient.Value;

    public long RedisFailovers => (long)_redisFailovers.Value;

    public void AddClientToServer(int bytes) => _bytesClientToServer.Inc(bytes);

    public void AddServerToClient(int bytes) => _bytesServerToClient.Inc(bytes);

    public void RedisFailoverSeen() => _redisFailovers.Inc();
}
