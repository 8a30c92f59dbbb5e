using TestKit.Metrics;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Metrics;

/// <summary>
/// Dashboards read the proxy's families by name: every family in tests/fixtures/metrics/proxy.txt (captured from
/// the hand-written exposition before the move to prometheus-net) is still exposed with its type, labels and help.
/// </summary>
public sealed class MetricsContractTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Every_family_dashboards_depend_on_is_exposed_with_the_same_type_labels_and_help()
    {
        await using var proxy = await TestProxy.StartAsync(redis.Server);

        var scrape = await MetricsScrape.TakeAsync(proxy.Port);

        var violations = MetricsContract.Violations(MetricsContract.Load("proxy"), scrape.Text);
        Assert.True(violations.Count == 0, string.Join('\n', violations) + "\n\nexposed:\n" + MetricsContract.Describe(scrape.Text));
    }

    [Fact]
    public void The_check_names_a_family_that_is_missing_retyped_relabelled_or_rehelped_and_accepts_new_ones()
    {
        var contract = new[]
        {
            new MetricFamilyShape("kept_total", "counter", ["reason"], "Kept."),
            new MetricFamilyShape("gone_total", "counter", [], "Gone."),
            new MetricFamilyShape("retyped", "gauge", [], "Retyped."),
            new MetricFamilyShape("relabelled_seconds", "histogram", ["name"], "Relabelled."),
            new MetricFamilyShape("rehelped", "gauge", [], "Old \\ help\nwith a line feed."),
        };
        const string Exposition = """
            # HELP kept_total Kept.
            # TYPE kept_total counter
            kept_total{reason="a \"quoted\" {value}"} 1
            # HELP retyped Retyped.
            # TYPE retyped counter
            retyped 1
            # HELP relabelled_seconds Relabelled.
            # TYPE relabelled_seconds histogram
            relabelled_seconds_bucket{queue="q",le="1"} 1
            relabelled_seconds_bucket{queue="q",le="+Inf"} 1
            relabelled_seconds_sum{queue="q"} 0.5
            relabelled_seconds_count{queue="q"} 1
            # HELP rehelped New help.
            # TYPE rehelped gauge
            rehelped 0
            # HELP brand_new_total New.
            # TYPE brand_new_total counter
            brand_new_total 0

            """;

        var violations = MetricsContract.Violations(contract, Exposition.Replace("\r", string.Empty, StringComparison.Ordinal));

        Assert.Equal(4, violations.Count);
        Assert.Contains(violations, line => line.StartsWith("missing:  gone_total", StringComparison.Ordinal));
        Assert.Contains(violations, line => line.Contains("actual: retyped\tcounter", StringComparison.Ordinal));
        Assert.Contains(violations, line => line.Contains("actual: relabelled_seconds\thistogram\tqueue", StringComparison.Ordinal));
        Assert.Contains(violations, line => line.Contains("actual: rehelped\tgauge\t-\tNew help.", StringComparison.Ordinal));
    }
}
