using System.Text;
using Prometheus;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// One operator instance's metrics: a prometheus-net <see cref="CollectorRegistry"/> of its own rather than the
/// library's static default, because tests run several operators in one process and each must scrape only its own
/// series. It also carries the process and .NET runtime metrics prometheus-net collects (<c>process_*</c>,
/// <c>dotnet_*</c>). Registering a name twice with the same shape returns the existing metric (every work queue
/// shares <c>workqueue_depth</c>); another type is an error.
/// </summary>
public sealed class MetricsRegistry
{
    public MetricsRegistry()
    {
        Collectors = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Collectors);
        DotNetStats.Register(Collectors);
    }

    /// <summary>What <c>/metrics</c> exposes.</summary>
    public CollectorRegistry Collectors { get; }

    /// <summary>Creates (or finds) the metrics of <see cref="Collectors"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary>
    /// Sets <paramref name="gauge"/> from <paramref name="read"/> just before each scrape, for values that change by
    /// themselves (the age of the oldest item, tokens active in a cache). A read that throws exposes NaN ("unknown")
    /// rather than failing the whole scrape.
    /// </summary>
    public void SetAtScrape(IGauge gauge, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(gauge);
        ArgumentNullException.ThrowIfNull(read);
        Collectors.AddBeforeCollectCallback(() =>
        {
            try
            {
                gauge.Set(read());
            }
            catch (Exception)
            {
                gauge.Set(double.NaN);
            }
        });
    }

    /// <summary>The text exposition a scraper would get now (format 0.0.4).</summary>
    public async Task<string> ToTextAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await Collectors.CollectAndExportAsTextAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
