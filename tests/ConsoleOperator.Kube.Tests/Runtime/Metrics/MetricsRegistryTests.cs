using ConsoleOperator.Kube.Runtime.Metrics;

namespace ConsoleOperator.Kube.Tests.Runtime.Metrics;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Registering_a_name_again_with_the_same_shape_returns_the_same_family()
    {
        var registry = new MetricsRegistry();
        var first = registry.Counter("jobs_total", "Jobs.", "queue");
        var second = registry.Counter("jobs_total", "Jobs.", "queue");

        Assert.Same(first, second);
        Assert.Same(first.WithLabels("a"), second.WithLabels("a"));
    }

    [Fact]
    public void Registering_a_name_again_with_another_type_labels_or_buckets_is_an_error()
    {
        var registry = new MetricsRegistry();
        registry.Counter("jobs_total", "Jobs.", "queue");
        registry.Histogram("wait_seconds", "Wait.", [1, 2]);

        Assert.Throws<InvalidOperationException>(() => registry.Gauge("jobs_total", "Jobs.", "queue"));
        Assert.Throws<InvalidOperationException>(() => registry.Counter("jobs_total", "Jobs.", "other"));
        Assert.Throws<InvalidOperationException>(() => registry.Histogram("wait_seconds", "Wait.", [1, 3]));
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("")]
    public void Invalid_metric_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => new MetricsRegistry().Counter(name, "Help."));

    [Theory]
    [InlineData("le")]
    [InlineData("__reserved")]
    [InlineData("has:colon")]
    public void Invalid_histogram_label_names_are_refused(string label) =>
        Assert.Throws<ArgumentException>(() => new MetricsRegistry().Histogram("h_seconds", "Help.", [1], label));

    [Fact]
    public void Bucket_bounds_must_be_finite_and_increasing_and_a_trailing_Inf_is_implicit()
    {
        var registry = new MetricsRegistry();
        Assert.Throws<ArgumentException>(() => registry.Histogram("a_seconds", "A.", [2, 1]));
        Assert.Throws<ArgumentException>(() => registry.Histogram("b_seconds", "B.", []));
        Assert.Throws<ArgumentException>(() => registry.Histogram("c_seconds", "C.", [double.NaN]));
        Assert.Equal([1d, 2d], registry.Histogram("d_seconds", "D.", [1, 2, double.PositiveInfinity]).Buckets);
    }

    [Fact]
    public void The_number_of_label_values_must_match_the_label_names()
    {
        var family = new MetricsRegistry().Counter("x_total", "X.", "a", "b");

        Assert.Throws<ArgumentException>(() => family.WithLabels("only-one"));
    }

    [Fact]
    public void Counters_only_go_up()
    {
        var counter = new MetricsRegistry().Counter("x_total", "X.").WithLabels();
        counter.Inc(2.5);

        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(double.NaN));
        Assert.Equal(2.5, counter.Value);
    }

    [Fact]
    public void An_unlabelled_metric_is_exposed_at_zero_before_its_first_change()
    {
        var registry = new MetricsRegistry();
        registry.Counter("starts_total", "Starts.");

        Assert.Contains("starts_total 0\n", PrometheusTextSerializer.ToText(registry), StringComparison.Ordinal);
    }

    [Fact]
    public void A_gauge_function_is_read_at_each_scrape_and_a_failing_one_reads_as_NaN()
    {
        var registry = new MetricsRegistry();
        var value = 1.0;
        var gauges = registry.Gauge("live", "Live.", "k");
        gauges.WithLabels("ok").SetFunction(() => value);
        gauges.WithLabels("broken").SetFunction(() => throw new InvalidOperationException("probe failed"));

        value = 7;
        var text = PrometheusTextSerializer.ToText(registry);

        Assert.Contains("live{k=\"ok\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("live{k=\"broken\"} NaN\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_removed_series_disappears_from_the_exposition()
    {
        var registry = new MetricsRegistry();
        var family = registry.Gauge("depth", "Depth.", "name");
        family.WithLabels("a").Set(1);
        family.WithLabels("b").Set(2);

        Assert.True(family.Remove("a"));

        var text = PrometheusTextSerializer.ToText(registry);
        Assert.DoesNotContain("name=\"a\"", text, StringComparison.Ordinal);
        Assert.Contains("depth{name=\"b\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_updates_are_not_lost()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("hits_total", "Hits.").WithLabels();
        var gauge = registry.Gauge("level", "Level.").WithLabels();
        var histogram = registry.Histogram("h_seconds", "H.", [0.5]).WithLabels();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Inc();
                gauge.Inc();
                gauge.Dec();
                histogram.Observe(i % 2 == 0 ? 0.25 : 1);
            }
        })));

        Assert.Equal(40_000, counter.Value);
        Assert.Equal(0, gauge.Value);
        Assert.Equal(40_000, histogram.Count);
        Assert.Equal((20_000 * 0.25) + 20_000, histogram.Sum);
    }
}
