using System.Net;
using System.Text;
using TestKit.Network;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>
/// `--target-tls` (websockify's `--ssl-target`): a VNC server whose RFB is inside TLS from the first byte, here QEMU's
/// plain VNC behind socat's OpenSSL listener. The browser negotiates with QEMU itself, through the proxy's TLS.
/// </summary>
public sealed class TargetTlsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_browser_speaks_RFB_with_a_server_behind_TLS_and_a_server_the_CA_did_not_sign_is_refused()
    {
        using var credentials = new VeNCryptCredentials();
        await using var qemu = await QemuVncServer.StartAsync();
        var port = FreeTcpPort.Next(IPAddress.Loopback);
        await using var tlsFront = ChildProcess.Start(RequiredTool.Find("socat", "socat"),
        [
            $"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,verify=0,cert={Path.Combine(credentials.QemuDirectory, "server-cert.pem")},key={Path.Combine(credentials.QemuDirectory, "server-key.pem")}",
            $"TCP:{qemu.Address}",
        ]);
        await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(10), () => tlsFront.Output);
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetTls = true, TargetCaFile = credentials.CaFile });
        await using var distrusting = await TestProxy.StartAsync(redis.Server, options => options with { TargetTls = true, TargetCaFile = credentials.OtherCaFile });
        var target = new ConsoleTarget("127.0.0.1", port);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={await proxy.MintAsync(target)}"));
        var version = Encoding.ASCII.GetString(await ProxyClient.ReceiveExactlyAsync(client, 12));
        await ProxyClient.SendAsync(client, Encoding.ASCII.GetBytes("RFB 003.008\n"));
        var count = (await ProxyClient.ReceiveExactlyAsync(client, 1))[0];
        var types = await ProxyClient.ReceiveExactlyAsync(client, count);
        using var refused = await ProxyClient.ConnectAsync(distrusting.Url($"/websockify?token={await distrusting.MintAsync(target)}"));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(refused, TimeSpan.FromSeconds(15));

        Assert.Equal("RFB 003.008\n", version);
        Assert.Contains((byte)1, types);
        Assert.Equal(4005, code);
        Assert.Equal("console security: the VNC server's certificate is not signed by --target-ca", reason);
    }
}
