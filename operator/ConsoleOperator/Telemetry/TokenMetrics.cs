using ConsoleOperator.Kube.Runtime.Metrics;

namespace ConsoleOperator.Telemetry;

/// <summary>
/// The ConsoleToken controller's metrics: tokens minted, expired, revoked and refused (counters, by reason for the
/// refusals), tokens active now (a gauge read from the informer cache at scrape time) and how long minting takes.
/// </summary>
public sealed class TokenMetrics
{
    /// <summary>Mint latency buckets: 1 ms to ~16 s (an API create, a Redis write and a status apply).</summary>
    public static readonly IReadOnlyList<double> MintBuckets = HistogramBuckets.Exponential(0.001, 2, 15);

    private readonly Counter minted;
    private readonly Counter expired;
    private readonly Counter revoked;
    private readonly CounterFamily invalid;
    private readonly Counter restored;
    private readonly Histogram mintDuration;

    public TokenMetrics(MetricsRegistry registry, Func<double> activeTokens)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activeTokens);
        minted = registry.Counter("consoleoperator_tokens_minted_total", "ConsoleTokens minted (Secret written, hash stored, status Active).").WithLabels();
        expired = registry.Counter("consoleoperator_tokens_expired_total", "ConsoleTokens that reached their expiry (or were consumed, for single-use).").WithLabels();
        revoked = registry.Counter("consoleoperator_tokens_revoked_total", "ConsoleTokens revoked before expiry (deleted, or their proxy went away).").WithLabels();
        invalid = registry.Counter("consoleoperator_tokens_invalid_total", "ConsoleTokens refused by their proxy's policy, by reason.", "reason");
        restored = registry.Counter("consoleoperator_tokens_restored_total", "Token hashes written again after their token store lost its data.").WithLabels();
        mintDuration = registry.Histogram("consoleoperator_token_mint_duration_seconds", "From the start of minting to status Active.", MintBuckets).WithLabels();
        registry.Gauge("consoleoperator_tokens_active", "ConsoleTokens in phase Active.").WithLabels().SetFunction(activeTokens);
    }

    public void Minted(TimeSpan duration)
    {
        minted.Inc();
        mintDuration.Observe(duration);
    }

    public void Expired() => expired.Inc();

    public void Revoked() => revoked.Inc();

    public void Invalid(string reason) => invalid.WithLabels(reason).Inc();

    public void Restored() => restored.Inc();
}
