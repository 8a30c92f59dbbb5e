using System.Text;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Rfb;

public sealed class ViewOnlySessionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly byte[] KeyEvent = [4, 1, 0, 0, 0, 0, 0, 0x61];
    private static readonly byte[] PointerEvent = [5, 1, 0, 10, 0, 20];
    private static readonly byte[] FramebufferUpdateRequest = [3, 0, 0, 0, 0, 0, 2, 0x80, 1, 0xE0];

    [Fact]
    public async Task A_view_only_session_passes_the_handshake_and_screen_requests_but_no_input()
    {
        await using var server = new ScriptedRfbServer();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(server.Target, flags: TokenFlags.ViewOnly);
        using var client = await HandshakeAsync(proxy, token);

        // Input and a screen request in one message, then a key alone: only the request may pass.
        await ProxyClient.SendAsync(client, [.. KeyEvent, .. FramebufferUpdateRequest, .. PointerEvent]);
        await ProxyClient.SendAsync(client, KeyEvent);
        await ProxyClient.SendAsync(client, FramebufferUpdateRequest);

        await Poll.UntilAsync(() => server.ReceivedAfterHandshake().Length >= 2 * FramebufferUpdateRequest.Length, "the screen requests");
        await Task.Delay(200);
        Assert.Equal([.. FramebufferUpdateRequest, .. FramebufferUpdateRequest], server.ReceivedAfterHandshake());
        Assert.Equal(Encoding.ASCII.GetBytes("RFB 003.008\n").Concat(new byte[] { 1, 1 }), await server.ClientHandshake);
    }

    [Fact]
    public async Task A_normal_session_passes_input_through()
    {
        await using var server = new ScriptedRfbServer();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(server.Target);
        using var client = await HandshakeAsync(proxy, token);

        await ProxyClient.SendAsync(client, [.. KeyEvent, .. PointerEvent]);

        await Poll.UntilAsync(() => server.ReceivedAfterHandshake().Length == KeyEvent.Length + PointerEvent.Length, "the input events");
        Assert.Equal([.. KeyEvent, .. PointerEvent], server.ReceivedAfterHandshake());
    }

    private static async Task<System.Net.WebSockets.ClientWebSocket> HandshakeAsync(TestProxy proxy, string token)
    {
        var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await ProxyClient.ReceiveExactlyAsync(client, 12)));
        await ProxyClient.SendAsync(client, Encoding.ASCII.GetBytes("RFB 003.008\n"));
        Assert.Equal(new byte[] { 1, 1 }, await ProxyClient.ReceiveExactlyAsync(client, 2));
        await ProxyClient.SendAsync(client, [1]);
        Assert.Equal(new byte[4], await ProxyClient.ReceiveExactlyAsync(client, 4));
        await ProxyClient.SendAsync(client, [1]);
        await ProxyClient.ReceiveExactlyAsync(client, 24);
        return client;
    }
}
