using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Metrics;
using TestKit.Polling;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>The controller registered on a manager and running on its own, on real time, as `console-operator run` runs it.</summary>
public sealed class ConsoleTokenControllerTests : IAsyncLifetime
{
    private TokenCluster _cluster = null!;
    private MetricsRegistry _metrics = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync();
        _metrics = new MetricsRegistry();
        _cluster.RunOperator(new ConsoleTokenControllerOptions { TokenStoreCheckInterval = TimeSpan.FromMilliseconds(200) }, _metrics);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_created_token_becomes_active_and_a_deleted_one_is_revoked_and_released()
    {
        await _cluster.CreateProxyAsync();
        await _cluster.CreateTokenAsync("vm-run");

        await Poll.UntilAsync(async () => (await _cluster.GetTokenAsync("vm-run")).Status?.Phase == ConsoleTokenPhase.Active, "the token became Active");
        Assert.Single(await _cluster.TokenKeysAsync());
        // Counted once the Active status is written, so a reader that saw the status may look a moment before the count.
        await Poll.UntilAsync(async () => (await _metrics.ToTextAsync(CancellationToken.None)).Contains("consoleoperator_tokens_minted_total 1", StringComparison.Ordinal), "the mint was counted");

        await _cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-run");

        await Poll.UntilAsync(async () => await _cluster.Tokens.InNamespace(TokenCluster.Namespace).GetOrDefaultAsync("vm-run") is null, "the token was released");
        Assert.Empty(await _cluster.TokenKeysAsync());
    }

    [Fact]
    public async Task A_token_waiting_for_its_proxy_is_minted_when_the_proxy_is_created()
    {
        await _cluster.CreateTokenAsync("vm-wait");
        await Poll.UntilAsync(async () => (await _cluster.GetTokenAsync("vm-wait")).Status?.Phase == ConsoleTokenPhase.Invalid, "the token was found Invalid");

        await _cluster.CreateProxyAsync();

        await Poll.UntilAsync(async () => (await _cluster.GetTokenAsync("vm-wait")).Status?.Phase == ConsoleTokenPhase.Active, "the token became Active");
    }

    [Fact]
    public async Task The_monitor_notices_a_flushed_store_and_the_controller_writes_the_tokens_again()
    {
        await _cluster.CreateProxyAsync();
        await _cluster.CreateTokenAsync("vm-keep");
        await Poll.UntilAsync(async () => (await _cluster.GetTokenAsync("vm-keep")).Status?.Phase == ConsoleTokenPhase.Active, "the token became Active");
        var keys = await _cluster.TokenKeysAsync();

        await _cluster.Redis.CommandAsync("FLUSHALL");

        await Poll.UntilAsync(async () => (await _cluster.TokenKeysAsync()).SequenceEqual(keys), "the token was written again");
    }
}
