using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Tests.Runtime.Metrics;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>Reads one sample out of a registry through its text exposition (what a scraper sees).</summary>
public static class MetricsReader
{
    /// <summary>The sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 when absent.</summary>
    public static async Task<double> ValueAsync(MetricsRegistry registry, string name, params (string Label, string Value)[] labels)
    {
        var families = PrometheusTextParser.Parse(await registry.ToTextAsync(CancellationToken.None));
        var sample = families
            .SelectMany(family => family.Samples)
            .FirstOrDefault(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));
        return sample?.Value ?? 0;
    }
}
