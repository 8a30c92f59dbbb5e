namespace ConsoleProxy.Metrics;

/// <summary>
/// What the session gauges read just before each scrape. An interface here, implemented by the session registry,
/// so that sessions can count themselves into <see cref="ProxyMetrics"/> while Metrics knows nothing of Sessions.
/// </summary>
public interface ISessionCounts
{
    /// <summary>Live sessions (relaying bytes).</summary>
    int Count { get; }

    /// <summary>Slots taken: live sessions plus those being authorized or dialed.</summary>
    int Reserved { get; }

    /// <summary>True once the process has begun to drain.</summary>
    bool IsDraining { get; }
}
