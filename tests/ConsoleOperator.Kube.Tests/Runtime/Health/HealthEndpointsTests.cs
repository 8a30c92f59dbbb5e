using System.Net;
using ConsoleOperator.Kube.Runtime.Health;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TestKit.Polling;

namespace ConsoleOperator.Kube.Tests.Runtime.Health;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Liveness_is_always_ok_readiness_waits_for_the_caches_and_metrics_show_reconciles()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client);
        await using var app = await StartAsync(op);
        using var http = new HttpClient { BaseAddress = Address(app), Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        using (var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("widgets", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        op.Start();
        await Poll.UntilAsync(() => ReconcileScenarioTests.IsConvergedAsync(cluster, "w1"), "w1 is reconciled");
        await ReconcileScenarioTests.WaitForQuietAsync(op);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var successes = Metrics.PrometheusTextParser.Parse(metrics)
            .Single(f => f.Name == "controller_runtime_reconcile_total")
            .Samples.Single(s => s.Labels["controller"] == "widgets" && s.Labels["result"] == "success");
        Assert.True(successes.Value >= 1);
        Assert.Contains("workqueue_adds_total{name=\"widgets\"}", metrics, StringComparison.Ordinal);
    }

    private static async Task<WebApplication> StartAsync(WidgetOperator op)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(op.Manager).AddSingleton(op.Metrics);
        builder.Services.AddHealthChecks().AddOperatorChecks();
        var app = builder.Build();
        app.UseRouting();
        app.MapOperatorEndpoints();
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
