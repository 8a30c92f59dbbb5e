using System.Text;
using ConsoleProxy.Authorization;
using ConsoleProxy.Sessions;

namespace ConsoleProxy.Metrics;

/// <summary>
/// Everything /metrics exports. Counters are plain atomics updated where things happen (the relay
/// adds bytes per chunk, the endpoint counts refusals and outcomes); gauges are read from the
/// session registry at scrape time, so they can never drift from the truth.
/// </summary>
public sealed class ProxyMetrics(SessionRegistry registry)
{
    // 100 us (a loopback dial) to 10 s (past the dial timeout): both histograms share the scale.
    private static readonly double[] LatencyBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private long _bytesClientToServer;
    private long _bytesServerToClient;

    public LabeledCounter<SessionOutcome> Sessions { get; } = new(
        "consoleproxy_sessions_total",
        "Console sessions ended since start, by outcome (why they closed).",
        "outcome");

    public LabeledCounter<AuthorizationFailure> AuthorizationFailures { get; } = new(
        "consoleproxy_authorization_failures_total",
        "WebSocket upgrades refused before the upgrade, by reason (consumed: a single-use token used again; revoked: a revoked token; expired: still stored but past its expiry on the proxy's clock; unknown_token: never minted, dropped by the store, or removed without a marker).",
        "reason");

    /// <summary>From the upgrade request's arrival to the 101 answer: token lookup, policy, resolve, dial.</summary>
    public Histogram HandshakeDuration { get; } = new(
        "consoleproxy_handshake_duration_seconds",
        "Time from a WebSocket upgrade request to the upgrade answer, including token lookup and dialing the VNC server.",
        LatencyBounds);

    public Histogram DialDuration { get; } = new(
        "consoleproxy_dial_duration_seconds",
        "Time to open the TCP connection to the VNC server, successful or not.",
        LatencyBounds);

    public long BytesClientToServer => Volatile.Read(ref _bytesClientToServer);

    public long BytesServerToClient => Volatile.Read(ref _bytesServerToClient);

    public void AddClientToServer(int bytes) => Interlocked.Add(ref _bytesClientToServer, bytes);

    public void AddServerToClient(int bytes) => Interlocked.Add(ref _bytesServerToClient, bytes);

    /// <summary>The whole exposition, in the text format 0.0.4.</summary>
    public string Render()
    {
        var output = new StringBuilder(4096);
        PrometheusText.Header(output, "consoleproxy_sessions_active", "Console sessions relaying bytes now.", "gauge");
        PrometheusText.Sample(output, "consoleproxy_sessions_active", registry.Count);
        PrometheusText.Header(output, "consoleproxy_sessions_pending", "Upgrade requests holding a session slot while their token is checked and the VNC server dialed.", "gauge");
        PrometheusText.Sample(output, "consoleproxy_sessions_pending", Math.Max(0, registry.Reserved - registry.Count));
        PrometheusText.Header(output, "consoleproxy_draining", "1 while the process drains (shutting down: new sessions are refused).", "gauge");
        PrometheusText.Sample(output, "consoleproxy_draining", registry.IsDraining ? 1 : 0);
        Sessions.WriteTo(output);
        PrometheusText.Header(output, "consoleproxy_bytes_total", "Bytes relayed, by direction (client_to_server: browser to VNC server).", "counter");
        PrometheusText.Sample(output, "consoleproxy_bytes_total", "direction", "client_to_server", BytesClientToServer);
        PrometheusText.Sample(output, "consoleproxy_bytes_total", "direction", "server_to_client", BytesServerToClient);
        AuthorizationFailures.WriteTo(output);
        HandshakeDuration.WriteTo(output);
        DialDuration.WriteTo(output);
        return output.ToString();
    }
}
