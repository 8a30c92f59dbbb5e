using ConsoleOperator.Kube.Runtime.Metrics;
using Prometheus;

namespace ConsoleOperator.Kube.Tests.Runtime.Metrics;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Registering_a_name_again_with_the_same_shape_returns_the_same_metric()
    {
        var registry = new MetricsRegistry();

        var first = registry.Factory.CreateCounter("widgets_total", "Widgets.", ["kind"]);
        var second = registry.Factory.CreateCounter("widgets_total", "Widgets.", ["kind"]);

        Assert.Same(first, second);
    }

    [Fact]
    public void Registering_a_name_again_as_another_type_is_an_error()
    {
        var registry = new MetricsRegistry();
        registry.Factory.CreateCounter("widgets_total", "Widgets.", ["kind"]);

        Assert.ThrowsAny<InvalidOperationException>(() => registry.Factory.CreateGauge("widgets_total", "Widgets.", ["kind"]));
    }

    [Fact]
    public async Task Each_instance_scrapes_only_its_own_series()
    {
        var first = new MetricsRegistry();
        var second = new MetricsRegistry();
        first.Factory.CreateCounter("only_in_first_total", "First.").Inc(3);

        Assert.Contains("only_in_first_total 3\n", await first.ToTextAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.DoesNotContain("only_in_first_total", await second.ToTextAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unlabelled_metric_is_exposed_at_zero_before_its_first_change()
    {
        var registry = new MetricsRegistry();
        registry.Factory.CreateCounter("starts_total", "Starts.");

        Assert.Contains("starts_total 0\n", await registry.ToTextAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gauge_set_at_scrape_is_read_at_each_scrape_and_a_failing_read_exposes_NaN()
    {
        var registry = new MetricsRegistry();
        var value = 1.0;
        var gauges = registry.Factory.CreateGauge("live", "Live.", ["k"]);
        registry.SetAtScrape(gauges.WithLabels("ok"), () => value);
        registry.SetAtScrape(gauges.WithLabels("broken"), () => throw new InvalidOperationException("probe failed"));

        value = 7;
        var text = await registry.ToTextAsync(CancellationToken.None);

        Assert.Contains("live{k=\"ok\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("live{k=\"broken\"} NaN\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_exposition_parses_line_by_line_as_Prometheus_text_with_escaped_labels_and_the_process_metrics()
    {
        var registry = new MetricsRegistry();
        registry.Factory.CreateCounter("a_total", "A.", ["k"]).WithLabels("va\"l\\ue\n}{,=").Inc(3);
        double[] buckets = [1e-8, 1e-3, 1, 10];
        var histogram = registry.Factory.CreateHistogram("d_seconds", "D.", ["name"], new HistogramConfiguration { Buckets = buckets });
        histogram.WithLabels("q").Observe(0.003);

        var families = PrometheusTextParser.Parse(await registry.ToTextAsync(CancellationToken.None)).ToDictionary(family => family.Name);

        Assert.Equal("va\"l\\ue\n}{,=", families["a_total"].Samples.Single().Labels["k"]);
        Assert.Equal(3, families["a_total"].Samples.Single().Value);
        Assert.Equal(buckets.Length + 3, families["d_seconds"].Samples.Count);
        Assert.Contains("process_cpu_seconds_total", families.Keys);
    }

    [Fact]
    public async Task Concurrent_updates_are_not_lost()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Factory.CreateCounter("hits_total", "Hits.");
        var gauge = registry.Factory.CreateGauge("level", "Level.");
        var histogram = registry.Factory.CreateHistogram("h_seconds", "H.", new HistogramConfiguration { Buckets = [0.5] });

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
