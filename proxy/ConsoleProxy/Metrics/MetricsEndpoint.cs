using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConsoleProxy.Metrics;

/// <summary>`/metrics` for Prometheus: no token, no session, answered before the console endpoint sees the request.</summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void Map(IApplicationBuilder app) =>
        app.Map(Path, branch => branch.Run(async context =>
        {
            var metrics = context.RequestServices.GetRequiredService<ProxyMetrics>();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = PrometheusText.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await context.Response.WriteAsync(metrics.Render(), context.RequestAborted);
            }
        }));
}
