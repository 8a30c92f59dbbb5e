using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using TestKit.Polling;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>`console-operator run --namespace NS` leaves ConsoleTokens in other namespaces alone.</summary>
public sealed class ConsoleTokenNamespaceScopeTests : IAsyncLifetime
{
    private TokenCluster cluster = null!;
    private RunningTokenController controller = null!;

    public async Task InitializeAsync()
    {
        cluster = await TokenCluster.StartAsync();
        controller = RunningTokenController.Start(cluster, new ConsoleTokenControllerOptions { Namespace = TokenCluster.Namespace });
    }

    public async Task DisposeAsync()
    {
        await controller.DisposeAsync();
        await cluster.DisposeAsync();
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
