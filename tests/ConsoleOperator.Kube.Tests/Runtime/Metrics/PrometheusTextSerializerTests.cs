using ConsoleOperator.Kube.Runtime.Metrics;

namespace ConsoleOperator.Kube.Tests.Runtime.Metrics;

public sealed class PrometheusTextSerializerTests
{
    [Fact]
    public void Renders_the_exact_text_exposition_with_escaping_sorted_families_and_series()
    {
        var registry = new MetricsRegistry();
        var requests = registry.Counter("http_requests_total", "Requests served.", "method", "path");
        requests.WithLabels("GET", "/a\"b\\c\nd").Inc(2);
        requests.WithLabels("DELETE", "/").Inc();
        registry.Gauge("temperature_celsius", "Help with \\ backslash\nand \"quotes\".").WithLabels().Set(-1.5);
        var latency = registry.Histogram("latency_seconds", "Latency.", [0.5, 1], "op");
        latency.WithLabels("get").Observe(0.25);
        latency.WithLabels("get").Observe(0.5);
        latency.WithLabels("get").Observe(4);
        registry.Counter("unused_total", "Never given a series.", "label");

        var text = PrometheusTextSerializer.ToText(registry);

        Assert.Equal(
            """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{method="DELETE",path="/"} 1
            http_requests_total{method="GET",path="/a\"b\\c\nd"} 2
            # HELP latency_seconds Latency.
            # TYPE latency_seconds histogram
            latency_seconds_bucket{op="get",le="0.5"} 2
            latency_seconds_bucket{op="get",le="1"} 2
            latency_seconds_bucket{op="get",le="+Inf"} 3
            latency_seconds_sum{op="get"} 4.75
            latency_seconds_count{op="get"} 3
            # HELP temperature_celsius Help with \\ backslash\nand "quotes".
            # TYPE temperature_celsius gauge
            temperature_celsius -1.5

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
    }

    [Fact]
    public void The_output_parses_line_by_line_as_Prometheus_text_and_round_trips_values_and_labels()
    {
        var registry = new MetricsRegistry();
        registry.Counter("a_total", "A.", "k").WithLabels("va\"l\\ue\n}{,=").Inc(3);
        registry.Gauge("b", "B.", "x", "y").WithLabels("1", "2").Set(double.NegativeInfinity);
        registry.Gauge("c", "C.").WithLabels().Set(double.NaN);
        var histogram = registry.Histogram("d_seconds", "D.", HistogramBuckets.WorkQueueDuration, "name");
        histogram.WithLabels("q").Observe(TimeSpan.FromMilliseconds(3));
        histogram.WithLabels("p").Observe(100);

        var families = PrometheusTextParser.Parse(PrometheusTextSerializer.ToText(registry));

        Assert.Equal(["a_total", "b", "c", "d_seconds"], families.Select(family => family.Name));
        Assert.Equal("va\"l\\ue\n}{,=", families[0].Samples.Single().Labels["k"]);
        Assert.Equal(3, families[0].Samples.Single().Value);
        Assert.True(double.IsNegativeInfinity(families[1].Samples.Single().Value));
        Assert.True(double.IsNaN(families[2].Samples.Single().Value));
        Assert.Equal(2 * 13, families[3].Samples.Count);
        Assert.Equal("1e-08", families[3].Samples[0].Labels["le"]);
        Assert.Equal("p", families[3].Samples[0].Labels["name"]);
    }

    [Theory]
    [InlineData(0d, "0")]
    [InlineData(1d, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-8, "1e-08")]
    [InlineData(123456789012d, "123456789012")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_are_spelled_as_Prometheus_reads_them(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Fact]
    public async Task Writing_to_a_stream_gives_the_same_UTF8_bytes_as_the_text()
    {
        var registry = new MetricsRegistry();
        registry.Counter("snow_total", "Flakes ❄ and 𝄞 (outside the BMP).", "where").WithLabels("Zürich 𝄞").Inc();
        using var stream = new MemoryStream();

        await PrometheusTextSerializer.WriteAsync(registry, stream, CancellationToken.None);

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(PrometheusTextSerializer.ToText(registry)), stream.ToArray());
    }

    [Fact]
    public void Two_scrapes_of_the_same_state_are_identical_whatever_the_creation_order()
    {
        var first = new MetricsRegistry();
        var second = new MetricsRegistry();
        foreach (var name in new[] { "b", "a", "c" })
        {
            first.Counter("x_total", "X.", "n").WithLabels(name).Inc();
        }

        foreach (var name in new[] { "c", "b", "a" })
        {
            second.Counter("x_total", "X.", "n").WithLabels(name).Inc();
        }

        Assert.Equal(PrometheusTextSerializer.ToText(first), PrometheusTextSerializer.ToText(second));
    }
}
