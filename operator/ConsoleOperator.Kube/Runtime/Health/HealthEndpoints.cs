using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace ConsoleOperator.Kube.Runtime.Health;

/// <summary>
/// The operator's probe and scrape endpoints on ASP.NET Core health checks: <c>/healthz</c> runs the checks tagged
/// <see cref="LiveTag"/> (the controller manager has not failed), <c>/readyz</c> those tagged <see cref="ReadyTag"/>
/// (every informer has synced), each answering 200 "ok" or 503 with what is wrong; <c>/metrics</c> is the Prometheus text of the <see cref="MetricsRegistry"/>.
/// Add checks of your own with these tags and they join the probes.
/// </summary>
public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";

    public const string ReadinessPath = "/readyz";

    public const string MetricsPath = "/metrics";

    public const string LiveTag = "live";

    public const string ReadyTag = "ready";

    /// <summary>The runtime's checks: the controller manager has not failed (live), every informer has synced (ready).</summary>
    public static IHealthChecksBuilder AddOperatorChecks(this IHealthChecksBuilder checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return checks
            .AddTypeActivatedCheck<ControllerManagerHealthCheck>("controller-manager", null, [LiveTag], false)
            .AddTypeActivatedCheck<ControllerManagerHealthCheck>("informers", null, [ReadyTag], true);
    }

    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapHealthChecks(LivenessPath, Probe(LiveTag));
        endpoints.MapHealthChecks(ReadinessPath, Probe(ReadyTag));

        // prometheus-net's own exporter. Scrapers poll: a cached answer would hide movement between two scrapes.
        endpoints.MapMetrics(MetricsPath, endpoints.ServiceProvider.GetRequiredService<MetricsRegistry>().Collectors).Add(built =>
        {
            var inner = built.RequestDelegate!;
            built.RequestDelegate = context =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return inner(context);
            };
        });
        return endpoints;
    }

    private static HealthCheckOptions Probe(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = WriteAsync,
    };

    /// <summary>Plain text a person reads in `kubectl describe pod`: "ok", or one line per failing check.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var text = report.Status == HealthStatus.Healthy
            ? "ok\n"
            : string.Concat(report.Entries.Values.Where(entry => entry.Status != HealthStatus.Healthy).Select(entry => entry.Description + "\n"));
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
