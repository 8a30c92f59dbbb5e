using System.Net;
using ConsoleOperator.Kube.Runtime.Health;
using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Tests.Runtime.Metrics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task GET_metrics_on_Kestrel_answers_the_exposition_with_the_Prometheus_content_type()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Factory.CreateCounter("scrapes_seen_total", "Scrapes.", ["path"]);
        counter.WithLabels("/metrics").Inc(4);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(registry).AddHealthChecks();
        await using var app = builder.Build();
        app.MapOperatorEndpoints();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            PrometheusTextParser.Parse(body);
            Assert.Contains("scrapes_seen_total{path=\"/metrics\"} 4\n", body, StringComparison.Ordinal);

            // Movement between two scrapes shows up: nothing is cached.
            counter.WithLabels("/metrics").Inc();
            Assert.Contains("scrapes_seen_total{path=\"/metrics\"} 5\n", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
