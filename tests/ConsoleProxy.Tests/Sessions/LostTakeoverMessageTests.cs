using TestKit.Processes;
using ConsoleProxy.Tests.Browser;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Sessions;

/// <summary>
/// A takeover across proxies whose pub/sub message never reaches the owner: two real `serve` processes on a real Redis,
/// the owner's ACL user not allowed the takeover channel, so it cannot hear the message (as when its subscription is
/// reconnecting at that moment). The owner must still close the old session, from the takeover the taker wrote.
/// </summary>
public sealed class LostTakeoverMessageTests : IAsyncLifetime
{
    private const string DeafUser = "deaf-proxy";
    private const string DeafPassword = "deaf secret";
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server is not started");

    // The default user (proxy-b, the CLI) may do anything; proxy-a's user every key and command, but of the channels only
    // the revocations.
    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync(
        extraArguments: ["--user", DeafUser, "on", $">{DeafPassword}", "~*", "&consoleproxy:revocations", "+@all"]);

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_owner_closes_a_taken_over_session_on_its_next_refresh_when_the_message_is_lost()
    {
        await using var target = TcpEchoTarget.Start();
        await using var owner = await ConsoleProxyProcess.StartAsync(
            Redis.Address, "--instance-name", "proxy-a", "--on-session-limit", "takeover", "--redis-user", DeafUser, "--redis-password", DeafPassword);
        await using var taker = await ConsoleProxyProcess.StartAsync(Redis.Address, "--instance-name", "proxy-b", "--on-session-limit", "takeover");
        await Poll.UntilAsync(() => owner.Output.Contains("Could not subscribe to session takeovers", StringComparison.Ordinal), "proxy-a to fail to subscribe to takeovers (its user lacks the channel)");
        var minted = await owner.MintTokenAsync(target.Target.ToString(), TimeSpan.FromMinutes(10), "--max-sessions", "1");
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(Redis.Address), TimeProvider.System, CancellationToken.None);
        var directory = new SessionDirectory(store, TimeProvider.System, TimeSpan.FromSeconds(5));
        using var first = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{owner.Port}/websockify?token={minted.Token}"));
        await Poll.UntilAsync(async () => (await directory.ListAllAsync(CancellationToken.None)) is [{ ProxyInstance: "proxy-a" }], "the first session to be published");

        using var second = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{taker.Port}/websockify?token={minted.Token}"));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(first, SessionDirectory.RefreshInterval + TimeSpan.FromSeconds(10));

        Assert.Equal(4006, code);
        Assert.Contains("max_sessions", reason, StringComparison.Ordinal);
        // The log line travels through the process's output after the close: wait for it rather than race it.
        await Poll.UntilAsync(() => owner.Output.Contains("found on the refresh: the takeover message did not arrive", StringComparison.Ordinal), "proxy-a to log that the refresh, not the message, closed it");
        await ProxyClient.SendAsync(second, [5]);
        Assert.Equal(new byte[] { 5 }, await ProxyClient.ReceiveExactlyAsync(second, 1));
        await Poll.UntilAsync(async () => (await directory.ListAllAsync(CancellationToken.None)) is [{ ProxyInstance: "proxy-b" }], "only proxy-b's session to be listed");
    }
}
