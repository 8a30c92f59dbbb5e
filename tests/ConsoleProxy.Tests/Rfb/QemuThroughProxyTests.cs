using System.Buffers.Binary;
using System.Text;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Rfb;

public sealed class QemuThroughProxyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Theory]
    [InlineData(TokenFlags.None)]
    [InlineData(TokenFlags.ViewOnly)]
    public async Task QEMU_s_VNC_server_completes_the_RFB_handshake_through_the_proxy(TokenFlags flags)
    {
        await using var qemu = await QemuVncServer.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(ConsoleTarget.Parse(qemu.Address), flags: flags);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));

        var version = await ProxyClient.ReceiveExactlyAsync(client, 12);
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(version));
        await ProxyClient.SendAsync(client, Encoding.ASCII.GetBytes("RFB 003.008\n"));

        var count = (await ProxyClient.ReceiveExactlyAsync(client, 1))[0];
        var types = await ProxyClient.ReceiveExactlyAsync(client, count);
        Assert.Contains((byte)1, types);
        await ProxyClient.SendAsync(client, [1]);
        Assert.Equal(new byte[4], await ProxyClient.ReceiveExactlyAsync(client, 4));
        await ProxyClient.SendAsync(client, [1]);

        var serverInit = await ProxyClient.ReceiveExactlyAsync(client, 24);
        var width = BinaryPrimitives.ReadUInt16BigEndian(serverInit);
        var height = BinaryPrimitives.ReadUInt16BigEndian(serverInit.AsSpan(2));
        Assert.InRange(width, 320, 4096);
        Assert.InRange(height, 200, 4096);
    }
}
