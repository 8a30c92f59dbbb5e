using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>Exposes a <see cref="MetricsRegistry"/> as a Prometheus scrape endpoint.</summary>
public static class MetricsEndpoint
{
    public const string DefaultPattern = "/metrics";

    /// <summary>Maps <c>GET {pattern}</c> to the text exposition of <paramref name="registry"/>.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(
        this IEndpointRouteBuilder endpoints,
        MetricsRegistry registry,
        string pattern = DefaultPattern) =>
        endpoints.MapGet(pattern, (HttpContext context) => WriteResponseAsync(context, registry));

    public static async Task WriteResponseAsync(HttpContext context, MetricsRegistry registry)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = PrometheusText.ContentType;

        // Scrapers poll: a cached answer would hide movement between two scrapes.
        context.Response.Headers.CacheControl = "no-store";
        await PrometheusTextSerializer.WriteAsync(registry, context.Response.BodyWriter, context.RequestAborted);
    }
}
