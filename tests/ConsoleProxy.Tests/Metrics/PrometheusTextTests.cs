using System.Text;
using ConsoleProxy.Authorization;
using ConsoleProxy.Metrics;
using ConsoleProxy.Sessions;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Metrics;

public sealed class PrometheusTextTests
{
    [Fact]
    public void A_histogram_exposes_cumulative_buckets_an_infinite_bucket_the_sum_and_the_count()
    {
        var histogram = new Histogram("test_seconds", "Test.", [0.001, 0.01, 0.1]);
        histogram.Observe(TimeSpan.FromMilliseconds(0.5));
        histogram.Observe(TimeSpan.FromMilliseconds(5));
        histogram.Observe(TimeSpan.FromMilliseconds(5));
        histogram.Observe(TimeSpan.FromSeconds(3));
        var output = new StringBuilder();

        histogram.WriteTo(output);
        var scrape = MetricsScrape.Parse(output.ToString());

        Assert.Contains("# TYPE test_seconds histogram", scrape.Text, StringComparison.Ordinal);
        Assert.Equal(1, scrape["test_seconds_bucket{le=\"0.001\"}"]);
        Assert.Equal(3, scrape["test_seconds_bucket{le=\"0.01\"}"]);
        Assert.Equal(3, scrape["test_seconds_bucket{le=\"0.1\"}"]);
        Assert.Equal(4, scrape["test_seconds_bucket{le=\"+Inf\"}"]);
        Assert.Equal(4, scrape["test_seconds_count"]);
        Assert.Equal(3.0105, scrape["test_seconds_sum"], 6);
    }

    [Fact]
    public void A_value_on_a_bucket_bound_counts_in_that_bucket()
    {
        var histogram = new Histogram("bound_seconds", "Test.", [0.5, 1]);
        histogram.Observe(TimeSpan.FromSeconds(0.5));
        var output = new StringBuilder();

        histogram.WriteTo(output);

        Assert.Equal(1, MetricsScrape.Parse(output.ToString())["bound_seconds_bucket{le=\"0.5\"}"]);
    }

    [Fact]
    public void Bucket_bounds_must_increase()
    {
        Assert.Throws<ArgumentException>(() => new Histogram("bad_seconds", "Test.", [1, 0.5]));
        Assert.Throws<ArgumentException>(() => new Histogram("bad_seconds", "Test.", []));
    }

    [Fact]
    public void A_labeled_counter_exposes_every_label_value_from_the_start_in_snake_case()
    {
        var counter = new LabeledCounter<SessionOutcome>("test_total", "Test.", "outcome");
        counter.Increment(SessionOutcome.MaxDuration);
        counter.Increment(SessionOutcome.MaxDuration);
        var output = new StringBuilder();

        counter.WriteTo(output);
        var scrape = MetricsScrape.Parse(output.ToString());

        Assert.Equal(2, scrape["test_total{outcome=\"max_duration\"}"]);
        Assert.Equal(0, scrape["test_total{outcome=\"target_unreachable\"}"]);
        Assert.Equal(Enum.GetValues<SessionOutcome>().Length, counter.LabelValues.Count);
    }

    [Fact]
    public void Authorization_failure_reasons_have_the_documented_label_values()
    {
        var counter = new LabeledCounter<AuthorizationFailure>("f_total", "Test.", "reason");

        Assert.Equal(
            ["token_missing", "unknown_token", "consumed", "revoked", "expired", "origin", "single_use", "tls_required", "target_not_allowed", "store_unavailable", "capacity", "draining"],
            counter.LabelValues);
    }

    [Fact]
    public void Label_values_and_help_texts_are_escaped()
    {
        var output = new StringBuilder();

        PrometheusText.Header(output, "x_total", "a \\ b\nc", "counter");
        PrometheusText.Sample(output, "x_total", "label", "q\"b\\n\n", 1);

        Assert.Equal("# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\nx_total{label=\"q\\\"b\\\\n\\n\"} 1\n", output.ToString());
    }
}
