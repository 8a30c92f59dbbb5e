using System.Globalization;
using System.Net;

namespace ConsoleProxy.Tests.Support;

/// <summary>One /metrics scrape, parsed: sample values by `name{labels}` exactly as exposed, plus the raw text.</summary>
public sealed class MetricsScrape
{
    private readonly Dictionary<string, double> _samples;

    private MetricsScrape(string text, string contentType, Dictionary<string, double> samples)
    {
        Text = text;
        ContentType = contentType;
        _samples = samples;
    }

    public string Text { get; }

    public string ContentType { get; }

    public static async Task<MetricsScrape> TakeAsync(int port)
    {
        using var http = new HttpClient { Timeout = ProxyClient.Timeout };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return Parse(text, response.Content.Headers.ContentType?.ToString() ?? string.Empty);
    }

    /// <summary>Parses the text format, failing the test on any line that is neither a comment nor `series value`.</summary>
    public static MetricsScrape Parse(string text, string contentType = "")
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            Assert.True(space > 0, $"malformed metrics line '{line}'");
            var value = line[(space + 1)..];
            samples[line[..space]] = value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture);
        }

        return new MetricsScrape(text, contentType, samples);
    }

    /// <summary>The value of a series, e.g. <c>consoleproxy_sessions_total{outcome="normal"}</c>; fails when it is not exposed.</summary>
    public double this[string series] =>
        _samples.TryGetValue(series, out var value) ? value : throw new Xunit.Sdk.XunitException($"/metrics has no series {series}:\n{Text}");

    public bool Has(string series) => _samples.ContainsKey(series);
}
