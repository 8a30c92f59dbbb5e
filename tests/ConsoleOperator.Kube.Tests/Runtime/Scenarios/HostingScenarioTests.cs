using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TestKit.Polling;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

public sealed class HostingScenarioTests
{
    [Fact]
    public async Task The_hosted_manager_runs_for_the_lifetime_of_the_host()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(op.Manager);
        builder.Services.AddHostedService(_ => op.Manager);
        using var host = builder.Build();

        await host.StartAsync();
        await Poll.UntilAsync(() => ReconcileScenarioTests.IsConvergedAsync(cluster, "w1"), "the hosted controller reconciles w1");
        Assert.True(op.Manager.IsReady);
        Assert.True(op.Controller.IsRunning);

        await host.StopAsync();
        Assert.False(op.Controller.IsRunning);
        Assert.False(op.Manager.IsLeading);
    }
}
