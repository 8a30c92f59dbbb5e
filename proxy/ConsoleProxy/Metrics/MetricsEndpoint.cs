using Microsoft.AspNetCore.Builder;
using Prometheus;

namespace ConsoleProxy.Metrics;

/// <summary>`/metrics` for Prometheus (prometheus-net's middleware): no token, no session, answered before the console endpoint sees the request.</summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void Map(IApplicationBuilder app, ProxyMetrics metrics) =>
        app.Map(Path, branch =>
        {
            // Scrapers poll: a cached answer would hide movement between two scrapes.
            branch.Use((context, next) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return next(context);
            });
            branch.UseMiddleware<MetricServerMiddleware>(new MetricServerMiddleware.Settings { Registry = metrics.Collectors });
        });
}
