using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using TestKit.Polling;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>`console-operator run --namespace NS` leaves ConsoleTokens in other namespaces alone.</summary>
public sealed class ConsoleTokenNamespaceScopeTests : IAsyncLifetime
{
    private TokenCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync();
        _cluster.RunOperator(new ConsoleTokenControllerOptions { Namespace = TokenCluster.Namespace });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Only_tokens_in_the_watched_namespace_are_minted()
    {
        await _cluster.CreateProxyAsync(namespaces: ["*"]);
        await _cluster.CreateTokenAsync("vm-elsewhere", ns: TokenCluster.OtherNamespace, proxyNamespace: TokenCluster.Namespace);
        await _cluster.CreateTokenAsync("vm-here");

        await Poll.UntilAsync(async () => (await _cluster.GetTokenAsync("vm-here")).Status?.Phase == ConsoleTokenPhase.Active, "the token in the watched namespace became Active");

        var elsewhere = await _cluster.GetTokenAsync("vm-elsewhere", TokenCluster.OtherNamespace);
        Assert.Null(elsewhere.Status);
        Assert.Null(elsewhere.Metadata.Finalizers);
        Assert.Single(await _cluster.TokenKeysAsync());
    }

    [Fact]
    public void An_empty_namespace_is_refused() =>
        Assert.Throws<ArgumentException>(() => new ConsoleTokenControllerOptions { Namespace = "" }.Validate());
}
