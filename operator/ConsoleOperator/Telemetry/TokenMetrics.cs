using ConsoleOperator.Kube.Runtime.Metrics;
using Prometheus;

namespace ConsoleOperator.Telemetry;

/// <summary>
/// The ConsoleToken controller's metrics: tokens minted, expired, revoked and refused (counters, by reason for the
/// refusals), tokens active now (a gauge read from the informer cache at scrape time) and how long minting takes.
/// </summary>
public sealed class TokenMetrics
{
    /// <summary>Mint latency buckets: 1 ms to ~16 s (an API create, a Redis write and a status apply).</summary>
    public static readonly IReadOnlyList<double> MintBuckets = Histogram.ExponentialBuckets(0.001, 2, 15);

    private readonly Counter _minted;
    private readonly Counter _expired;
    private readonly Counter _revoked;
    private readonly Counter _invalid;
    private readonly Counter _restored;
    private readonly Histogram _mintDuration;

    public TokenMetrics(MetricsRegistry registry, Func<double> activeTokens)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activeTokens);
        var factory = registry.Factory;
        _minted = factory.CreateCounter("consoleoperator_tokens_minted_total", "ConsoleTokens minted (Secret written, hash stored, status Active).");
        _expired = factory.CreateCounter("consoleoperator_tokens_expired_total", "ConsoleTokens that reached their expiry (or were consumed, for single-use).");
        _revoked = factory.CreateCounter("consoleoperator_tokens_revoked_total", "ConsoleTokens revoked before expiry (deleted, or their proxy went away).");
        _invalid = factory.CreateCounter("consoleoperator_tokens_invalid_total", "ConsoleTokens refused by their proxy's policy, by reason.", ["reason"]);
        _restored = factory.CreateCounter("consoleoperator_tokens_restored_total", "Token hashes written again after their token store lost its data.");
        _mintDuration = factory.CreateHistogram(
            "consoleoperator_token_mint_duration_seconds",
            "From the start of minting to status Active.",
            new HistogramConfiguration { Buckets = [.. MintBuckets] });
        registry.SetAtScrape(factory.CreateGauge("consoleoperator_tokens_active", "ConsoleTokens in phase Active."), activeTokens);
    }

    public void Minted(TimeSpan duration)
    {
        _minted.Inc();
        _mintDuration.Observe(duration.TotalSeconds);
    }

    public void Expired() => _expired.Inc();

    public void Revoked() => _revoked.Inc();

    public void Invalid(string reason) => _invalid.WithLabels(reason).Inc();

    public void Restored() => _restored.Inc();
}
