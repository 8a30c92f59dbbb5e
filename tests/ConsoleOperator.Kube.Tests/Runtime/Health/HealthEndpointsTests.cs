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

    [Fact]
    public async Task Liveness_fails_with_the_reason_once_the_hosted_manager_stopped_by_itself()
    {
        await using var cluster = await TestCluster.StartAsync();
        // Every request for widgets fails, so the controller's caches never sync and its run ends with a timeout.
        cluster.Server.Faults.FailNextRequests(100_000, 503, "ServiceUnavailable", "unavailable", r => r.Path.Contains("/widgets", StringComparison.Ordinal));
        await using var op = new WidgetOperator(cluster, cluster.Client, cacheSyncTimeout: TimeSpan.FromSeconds(1));
        await using var app = await StartAsync(op);
        using var http = new HttpClient { BaseAddress = Address(app), Timeout = TimeSpan.FromSeconds(10) };

        // Hosted, as the operator runs it (ExecuteAsync), not through RunAsync.
        await op.Manager.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => op.Manager.Failure is not null, "the hosted manager fails");
            using var dead = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            var body = await dead.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, dead.StatusCode);
            Assert.Contains("the controller manager failed: ", body, StringComparison.Ordinal);
            Assert.Contains("did not sync", body, StringComparison.Ordinal);
        }
        finally
        {
            await op.Manager.StopAsync(CancellationToken.None);
        }
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
