using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Tests.Relay;

/// <summary>
/// The relay's last resort: a browser that never answers our close frame is dropped after the close timeout. Neither
/// pump's wait watches a token (an idle session would hold a registration per wait); the relay's one registration
/// for the session must end both, or the session and its VNC connection stay held for good.
/// </summary>
public sealed class RelayAbortTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_browser_that_never_answers_the_close_is_dropped_after_the_close_timeout_with_its_session_and_VNC_connection()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target);
        await using var client = await RawWebSocketClient.ConnectAsync(proxy.Port, $"/websockify?token={token}");
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the session to start");

        Assert.True(await proxy.App.Store.RevokeAsync(TokenHash.Of(token), CancellationToken.None));

        // The raw client reads the close frame but never answers it: only the relay's abort ends the session.
        Assert.Equal(0x8, await client.ReceiveOpcodeAsync());
        await Poll.UntilAsync(() => target.Ended == 1, "the VNC connection to be closed");
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0 && proxy.App.Sessions.Reserved == 0, "the session to be released after the close timeout", TimeSpan.FromSeconds(30));
        Assert.True(await client.WaitForServerToCloseAsync(TimeSpan.FromSeconds(10)), "the browser's connection to be dropped");
    }
}
