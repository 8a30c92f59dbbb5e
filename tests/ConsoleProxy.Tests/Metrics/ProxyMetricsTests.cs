using System.Text;
using ConsoleProxy.Authorization;
using ConsoleProxy.Metrics;
using ConsoleProxy.Sessions;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Metrics;

/// <summary>The proxy's metrics as prometheus-net exposes them, read back through the text a scraper gets.</summary>
public sealed class ProxyMetricsTests
{
    private static readonly string[] LatencyBuckets =
        ["0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];

    [Fact]
    public async Task Latency_histograms_keep_their_buckets_and_count_cumulatively_with_a_value_on_a_bound_in_that_bucket()
    {
        var metrics = new ProxyMetrics(new SessionRegistry(0, TimeProvider.System), "consoles/console");
        metrics.HandshakeDuration.Observe(0.0005);
        metrics.HandshakeDuration.Observe(0.003);
        metrics.HandshakeDuration.Observe(3);
        metrics.RedisCommandDuration.Observe(RedisOperation.Redeem, TimeSpan.FromMilliseconds(2));

        var scrape = await ScrapeAsync(metrics);

        foreach (var family in new[] { "consoleproxy_handshake_duration_seconds", "consoleproxy_dial_duration_seconds" })
        {
            Assert.Equal(LatencyBuckets.Select(bound => $"{family}_bucket{{le=\"{bound}\"}}"), BucketSeries(scrape, family + "_bucket{"));
        }

        Assert.Equal(LatencyBuckets.Select(bound => $"consoleproxy_redis_command_duration_seconds_bucket{{operation=\"redeem\",le=\"{bound}\"}}"), BucketSeries(scrape, "consoleproxy_redis_command_duration_seconds_bucket{operation=\"redeem\""));
        Assert.Equal(0, scrape["consoleproxy_handshake_duration_seconds_bucket{le=\"0.00025\"}"]);
        Assert.Equal(1, scrape["consoleproxy_handshake_duration_seconds_bucket{le=\"0.0005\"}"]);
        Assert.Equal(2, scrape["consoleproxy_handshake_duration_seconds_bucket{le=\"0.005\"}"]);
        Assert.Equal(3, scrape["consoleproxy_handshake_duration_seconds_bucket{le=\"+Inf\"}"]);
        Assert.Equal(3, scrape["consoleproxy_handshake_duration_seconds_count"]);
        Assert.Equal(3.0035, scrape["consoleproxy_handshake_duration_seconds_sum"], 9);
        Assert.Equal(1, scrape["consoleproxy_redis_command_duration_seconds_bucket{operation=\"redeem\",le=\"0.0025\"}"]);
    }

    [Fact]
    public async Task Labelled_counters_expose_every_label_value_from_the_start_in_snake_case()
    {
        var metrics = new ProxyMetrics(new SessionRegistry(0, TimeProvider.System), string.Empty);
        metrics.Sessions.Increment(SessionOutcome.MaxDuration);
        metrics.Sessions.Increment(SessionOutcome.MaxDuration);

        var scrape = await ScrapeAsync(metrics);

        Assert.Equal(2, scrape["consoleproxy_sessions_total{outcome=\"max_duration\"}"]);
        foreach (var outcome in Enum.GetValues<SessionOutcome>().Where(outcome => outcome != SessionOutcome.MaxDuration))
        {
            Assert.Equal(0, scrape[$"consoleproxy_sessions_total{{outcome=\"{LabelValue.SnakeCase(outcome.ToString())}\"}}"]);
        }

        foreach (var operation in new[] { "store", "lookup", "redeem", "revoke", "subscribe", "ping" })
        {
            Assert.Equal(0, scrape[$"consoleproxy_redis_command_failures_total{{operation=\"{operation}\"}}"]);
            Assert.Equal(0, scrape[$"consoleproxy_redis_command_duration_seconds_count{{operation=\"{operation}\"}}"]);
        }

        Assert.Equal(0, scrape["consoleproxy_redis_failovers_total"]);
        Assert.Equal(0, scrape["consoleproxy_live_sessions{console_proxy=\"\"}"]);
    }

    [Fact]
    public void Authorization_failure_reasons_have_the_documented_label_values()
    {
        var metrics = new ProxyMetrics(new SessionRegistry(0, TimeProvider.System), string.Empty);

        Assert.Equal(
            ["token_missing", "unknown_token", "consumed", "revoked", "expired", "origin", "single_use", "tls_required", "target_not_allowed", "kind_not_served", "store_unavailable", "capacity", "session_limit", "draining", "screenshot_only"],
            metrics.AuthorizationFailures.LabelValues);
    }

    [Fact]
    public async Task Two_proxies_in_one_process_each_expose_only_their_own_counts()
    {
        var first = new ProxyMetrics(new SessionRegistry(0, TimeProvider.System), "a/one");
        var second = new ProxyMetrics(new SessionRegistry(0, TimeProvider.System), "b/two");
        first.AuthorizationFailures.Increment(AuthorizationFailure.Origin);
        first.AddClientToServer(10);

        var one = await ScrapeAsync(first);
        var two = await ScrapeAsync(second);

        Assert.Equal(1, one["consoleproxy_authorization_failures_total{reason=\"origin\"}"]);
        Assert.Equal(0, two["consoleproxy_authorization_failures_total{reason=\"origin\"}"]);
        Assert.Equal(10, one["consoleproxy_bytes_total{direction=\"client_to_server\"}"]);
        Assert.Equal(0, two["consoleproxy_bytes_total{direction=\"client_to_server\"}"]);
        Assert.True(one.Has("consoleproxy_live_sessions{console_proxy=\"a/one\"}"));
        Assert.False(two.Has("consoleproxy_live_sessions{console_proxy=\"a/one\"}"));
        Assert.True(one.Has("process_cpu_seconds_total"), "prometheus-net's process metrics are exposed");
    }

    private static async Task<MetricsScrape> ScrapeAsync(ProxyMetrics metrics)
    {
        using var buffer = new MemoryStream();
        await metrics.Collectors.CollectAndExportAsTextAsync(buffer, CancellationToken.None);
        return MetricsScrape.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static IEnumerable<string> BucketSeries(MetricsScrape scrape, string prefix) =>
        scrape.Text.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[..line.LastIndexOf(' ')]);
}
