using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>Exposes a <see cref="MetricsRegistry"/> as a Prometheus scrape endpoint (prometheus-net's own).</summary>
public static class MetricsEndpoint
{
    public const string DefaultPattern = "/metrics";

    /// <summary>Maps <c>GET {pattern}</c> to the text exposition of <paramref name="registry"/>.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(
        this IEndpointRouteBuilder endpoints,
        MetricsRegistry registry,
        string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(registry);

        // Scrapers poll: a cached answer would hide movement between two scrapes.
        var endpoint = endpoints.MapMetrics(pattern, registry.Collectors);
        endpoint.Add(built =>
        {
            var inner = built.RequestDelegate!;
            built.RequestDelegate = context =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return inner(context);
            };
        });
        return endpoint;
    }
}
