using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Serialization;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>`console-operator run --namespace NS` leaves ConsoleTokens in other namespaces alone.</summary>
public sealed class ConsoleTokenNamespaceScopeTests : IAsyncLifetime
{
    private readonly CancellationTokenSource stopping = new();
    private TokenCluster cluster = null!;
    private ConsoleTokenController controller = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        cluster = await TokenCluster.StartAsync();
        var manager = new ControllerManager();
        var events = new EventRecorder(
            cluster.Client.Resource(KnownResources.Event, KubernetesJsonContext.Default.Event),
            new EventRecorderOptions { ReportingController = "consoleoperator.dev/console-operator", ReportingInstance = "console-operator-0" });
        manager.AddService("events", events.RunAsync);
        controller = ConsoleTokenController.Register(
            manager, cluster.Client, events, new ConsoleTokenControllerOptions { Namespace = TokenCluster.Namespace });
        running = manager.RunAsync(stopping.Token);
    }

    public async Task DisposeAsync()
    {
        await stopping.CancelAsync();
        await running;
        await controller.DisposeAsync();
        await cluster.DisposeAsync();
        stopping.Dispose();
    }

    [Fact]
    public async Task Only_tokens_in_the_watched_namespace_are_minted()
    {
        await cluster.CreateProxyAsync(namespaces: ["*"]);
        await cluster.CreateTokenAsync("vm-elsewhere", ns: TokenCluster.OtherNamespace, proxyNamespace: TokenCluster.Namespace);
        await cluster.CreateTokenAsync("vm-here");

        await Poll.UntilAsync(async () => (await cluster.GetTokenAsync("vm-here")).Status?.Phase == ConsoleTokenPhase.Active, "the token in the watched namespace became Active");

        var elsewhere = await cluster.GetTokenAsync("vm-elsewhere", TokenCluster.OtherNamespace);
        Assert.Null(elsewhere.Status);
        Assert.Null(elsewhere.Metadata.Finalizers);
        Assert.Single(await cluster.TokenKeysAsync());
    }

    [Fact]
    public void An_empty_namespace_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ConsoleTokenControllerOptions { Namespace = "" }.Validate());
}
