using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConsoleOperator.Kube.Runtime.Health;

/// <summary>
/// The operator's probe and scrape endpoints: <c>/healthz</c> (the process serves), <c>/readyz</c> (every informer
/// has synced, so a standby replica is ready to lead at once) and <c>/metrics</c> (Prometheus text).
/// </summary>
public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";

    public const string ReadinessPath = "/readyz";

    public static IEndpointRouteBuilder MapOperatorHealth(this IEndpointRouteBuilder endpoints, ControllerManager manager, MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(registry);
        endpoints.MapGet(LivenessPath, (HttpContext context) => WriteAsync(context, StatusCodes.Status200OK, "ok\n"));
        endpoints.MapGet(ReadinessPath, (HttpContext context) =>
        {
            var unsynced = manager.UnsyncedInformers;
            return unsynced.Count == 0
                ? WriteAsync(context, StatusCodes.Status200OK, "ok\n")
                : WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "informers not synced: " + string.Join(", ", unsynced) + "\n");
        });
        endpoints.MapPrometheusMetrics(registry);
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
