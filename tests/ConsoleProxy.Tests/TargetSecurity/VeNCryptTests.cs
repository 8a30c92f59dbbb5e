using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using TestKit.Polling;
using TestKit.Processes;
using ConsoleProxy.Reloading;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>
/// The proxy as an RFB security proxy towards QEMU's real VNC server over TLS (VeNCrypt X509None, client certificate
/// demanded): the browser is offered None and gets QEMU's ServerInit; every way the secured link can be wrong ends
/// the session with 4005 and a reason that says which, quickly.
/// </summary>
public sealed class VeNCryptTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_browser_is_offered_None_and_gets_QEMUs_screen_through_VeNCrypt_with_a_client_certificate()
    {
        using var credentials = new VeNCryptCredentials();
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options));

        using var client = await OpenAsync(proxy, qemu);
        var (width, height) = await NoVncHandshake.RunAsync(client);

        Assert.InRange(width, 320, 4096);
        Assert.InRange(height, 200, 4096);
        await RequestAndReceiveAnUpdateAsync(client, width, height);
    }

    [Fact]
    public async Task QEMU_without_TLS_is_refused_when_the_proxy_demands_vencrypt_and_accepted_when_none_is_allowed_too()
    {
        using var credentials = new VeNCryptCredentials();
        await using var plain = await QemuVncServer.StartAsync();
        await using var strict = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options));
        await using var lenient = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options, "vencrypt,none"));

        var (code, reason) = await RefusedAsync(strict, plain);
        using var client = await OpenAsync(lenient, plain);
        var (width, _) = await NoVncHandshake.RunAsync(client);

        Assert.Equal(4005, code);
        Assert.Equal("console security: the VNC server offers None; the proxy accepts vencrypt", reason);
        Assert.InRange(width, 320, 4096);
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_is_refused()
    {
        using var credentials = new VeNCryptCredentials();
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu());
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with { TargetCaFile = credentials.OtherCaFile });

        var (code, reason) = await RefusedAsync(proxy, qemu);

        Assert.Equal(4005, code);
        Assert.Equal("console security: the VNC server's certificate is not signed by --target-ca", reason);
    }

    [Fact]
    public async Task A_server_certificate_for_another_name_is_refused_though_the_CA_signed_it()
    {
        using var credentials = new VeNCryptCredentials("compute-7.example.net");
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu());
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options));

        var (code, reason) = await RefusedAsync(proxy, qemu);

        Assert.Equal(4005, code);
        Assert.Equal("console security: the VNC server's certificate is not for 127.0.0.1", reason);
    }

    [Fact]
    public async Task The_server_name_a_token_gives_is_what_the_certificate_must_carry()
    {
        using var credentials = new VeNCryptCredentials("compute-7.example.net");
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu());
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options));
        var named = await proxy.MintAsync(ConsoleTarget.Parse(qemu.Address), serverName: "compute-7.example.net");
        var misnamed = await proxy.MintAsync(ConsoleTarget.Parse(qemu.Address), serverName: "compute-8.example.net");

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={named}"));
        var (width, _) = await NoVncHandshake.RunAsync(client);
        using var refused = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={misnamed}"));
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(refused, TimeSpan.FromSeconds(15));

        Assert.InRange(width, 320, 4096);
        Assert.Equal(4005, code);
        Assert.Equal("console security: the VNC server's certificate is not for compute-8.example.net", reason);
    }

    [Fact]
    public async Task A_client_certificate_QEMU_does_not_trust_is_refused_with_a_reason_not_a_hang()
    {
        using var credentials = new VeNCryptCredentials();
        var (untrustedCertificate, untrustedKey) = credentials.OtherCa.IssueClient("intruder").Write(credentials.Root, "intruder");
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with
        {
            TargetCertificateFile = untrustedCertificate,
            TargetKeyFile = untrustedKey,
        });

        var (code, reason) = await RefusedAsync(proxy, qemu);

        Assert.Equal(4005, code);
        Assert.StartsWith("console security: ", reason, StringComparison.Ordinal);
        Assert.True(reason!.Contains("TLS handshake failed", StringComparison.Ordinal) || reason.Contains("is --target-cert trusted?", StringComparison.Ordinal), reason);
        Assert.Contains(proxy.Logs.Lines, line => line.Contains("Console security with the VNC server failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_renewed_client_certificate_is_used_for_new_sessions_without_a_restart()
    {
        using var credentials = new VeNCryptCredentials();
        var rotating = Path.Combine(credentials.Root, "rotating");
        Directory.CreateDirectory(rotating);
        var (certificate, key) = credentials.OtherCa.IssueClient("before-renewal").Write(rotating, "client");
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with
        {
            TargetCertificateFile = certificate,
            TargetKeyFile = key,
        });
        var (before, _) = await RefusedAsync(proxy, qemu);

        // The renewal lands as the kubelet writes a Secret: new files in place of the old.
        File.Copy(credentials.ClientCertificateFile, certificate, overwrite: true);
        File.Copy(credentials.ClientKeyFile, key, overwrite: true);
        await Task.Delay(ReloadingCertificate.CheckInterval + TimeSpan.FromMilliseconds(200));
        using var client = await OpenAsync(proxy, qemu);
        var (width, _) = await NoVncHandshake.RunAsync(client);

        Assert.Equal(4005, before);
        Assert.InRange(width, 320, 4096);
    }

    [Fact]
    public async Task Without_a_client_certificate_QEMU_that_verifies_peers_refuses_the_proxy()
    {
        using var credentials = new VeNCryptCredentials();
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with
        {
            TargetCertificateFile = null,
            TargetKeyFile = null,
        });

        var (code, _) = await RefusedAsync(proxy, qemu);

        Assert.Equal(4005, code);
    }

    [Fact]
    public async Task A_screenshot_goes_through_VeNCrypt_too()
    {
        using var credentials = new VeNCryptCredentials();
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options));
        var token = await proxy.MintAsync(ConsoleTarget.Parse(qemu.Address));
        using var http = new HttpClient();
        // The BIOS switches from 640x480 to text mode (720x400) in its first moments.
        await Poll.UntilAsync(async () => (await qemu.ScreendumpAsync()).Width == 720, "QEMU's BIOS in text mode");

        using var response = await http.GetAsync(proxy.Url($"/screenshot?token={token}", "http"));
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((720, 400), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
    }

    [Fact]
    public async Task A_view_only_session_behind_the_security_proxy_sends_screen_requests_but_no_input()
    {
        await using var server = new ScriptedRfbServer();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetAuthSchemes = ["none"] });
        var token = await proxy.MintAsync(server.Target, flags: Tokens.Store.TokenFlags.ViewOnly);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await NoVncHandshake.RunAsync(client);
        byte[] keyEvent = [4, 1, 0, 0, 0, 0, 0, 0x61];
        byte[] updateRequest = [3, 0, 0, 0, 0, 0, 2, 0x80, 1, 0xE0];

        await ProxyClient.SendAsync(client, [.. keyEvent, .. updateRequest, .. keyEvent]);

        await Poll.UntilAsync(() => server.ReceivedAfterHandshake().Length >= updateRequest.Length, "the screen request");
        await Task.Delay(200);
        Assert.Equal(updateRequest, server.ReceivedAfterHandshake());
        // The proxy, not the browser, answered the server's security handshake: version, None, then ClientInit.
        Assert.Equal(Encoding.ASCII.GetBytes("RFB 003.008\n").Concat(new byte[] { 1, 1 }), await server.ClientHandshake);
    }

    private static async Task<ClientWebSocket> OpenAsync(TestProxy proxy, QemuVncServer qemu)
    {
        var token = await proxy.MintAsync(ConsoleTarget.Parse(qemu.Address));
        return await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
    }

    private static async Task<(int? Code, string? Reason)> RefusedAsync(TestProxy proxy, QemuVncServer qemu)
    {
        using var client = await OpenAsync(proxy, qemu);
        return await ProxyClient.ReceiveCloseAsync(client, TimeSpan.FromSeconds(15));
    }

    /// <summary>A full FramebufferUpdateRequest is answered with a FramebufferUpdate (message type 0) over the TLS link.</summary>
    private static async Task RequestAndReceiveAnUpdateAsync(ClientWebSocket client, int width, int height)
    {
        var request = new byte[10];
        request[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), (ushort)height);
        await ProxyClient.SendAsync(client, request);
        Assert.Equal(0, (await ProxyClient.ReceiveExactlyAsync(client, 1))[0]);
    }
}
