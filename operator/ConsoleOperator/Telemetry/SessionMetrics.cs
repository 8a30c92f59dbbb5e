using ConsoleOperator.Kube.Runtime.Metrics;
using Prometheus;

namespace ConsoleOperator.Telemetry;

/// <summary>
/// The session sweep's metrics: the live sessions it last saw across every ConsoleProxy, and the status writes it
/// sent (the number the README's bound is about: at most one per object per sweep period).
/// </summary>
public sealed class SessionMetrics
{
    public const string ConsoleTokenKind = "ConsoleToken";
    public const string ConsoleProxyKind = "ConsoleProxy";

    private readonly Gauge _sessions;
    private readonly Counter _writes;
    private readonly Counter _unreadable;

    public SessionMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = registry.Factory;
        _sessions = factory.CreateGauge("consoleoperator_sessions", "Live console sessions across every ConsoleProxy whose token store the last session sweep read.");
        _writes = factory.CreateCounter("consoleoperator_session_status_writes_total", "Status writes of the session sweep, by kind (ConsoleToken, ConsoleProxy): at most one per object per sweep period.", ["kind"]);
        _unreadable = factory.CreateCounter("consoleoperator_session_sweep_stores_unreadable_total", "Token stores a session sweep could not read (their statuses were left as they were).");
        _writes.WithLabels(ConsoleTokenKind);
        _writes.WithLabels(ConsoleProxyKind);
    }

    /// <summary>Records one sweep's outcome.</summary>
    public void Swept(int liveSessions, int tokenWrites, int proxyWrites, int storesUnreadable)
    {
        _sessions.Set(liveSessions);
        _writes.WithLabels(ConsoleTokenKind).Inc(tokenWrites);
        _writes.WithLabels(ConsoleProxyKind).Inc(proxyWrites);
        _unreadable.Inc(storesUnreadable);
    }
}
