using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using TestKit.Processes;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>
/// VeNCrypt's anonymous TLS subtypes against QEMU's real VNC server with tls-creds-anon (GnuTLS, anonymous
/// Diffie-Hellman): TLSNone and TLSVnc are negotiated only when `vencrypt-anon` is among the auth schemes; a proxy
/// that accepts only x509 refuses them with 4005 and names what would allow them.
/// </summary>
public sealed class AnonymousTlsTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private const string Password = "An0n-Pw7";
    private readonly string _directory = Directory.CreateTempSubdirectory("anon-tls-").FullName;

    [Fact]
    public async Task TLSNone_is_negotiated_when_vencrypt_anon_is_allowed_and_the_screen_comes_through_it()
    {
        await using var qemu = await QemuVncServer.StartAsync(anonymousTls: true);
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetAuthSchemes = ["vencrypt-anon"] });

        using var client = await OpenAsync(proxy, qemu, password: null, keyring: null);
        var (width, height) = await NoVncHandshake.RunAsync(client);

        Assert.InRange(width, 320, 4096);
        Assert.InRange(height, 200, 4096);
        await RequestAndReceiveAnUpdateAsync(client, width, height);
    }

    [Fact]
    public async Task TLSVnc_answers_QEMUs_password_challenge_inside_anonymous_TLS_and_the_password_is_nowhere()
    {
        await using var qemu = await QemuVncServer.StartAsync(password: true, anonymousTls: true);
        await qemu.SetPasswordAsync(Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetAuthSchemes = ["vencrypt-anon"], VncPasswordKeyFile = keyring });

        using var client = await OpenAsync(proxy, qemu, Password, keyring);

        Assert.InRange((await NoVncHandshake.RunAsync(client)).Width, 320, 4096);
        Assert.DoesNotContain(Password, proxy.Logs.All, StringComparison.Ordinal);
        await SecretLeakScan.AssertNotInRedisAsync(redis.Server, Password);
    }

    [Fact]
    public async Task A_wrong_password_inside_TLSVnc_ends_with_4005_and_why()
    {
        await using var qemu = await QemuVncServer.StartAsync(password: true, anonymousTls: true);
        await qemu.SetPasswordAsync(Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetAuthSchemes = ["vencrypt-anon"], VncPasswordKeyFile = keyring });

        using var wrong = await OpenAsync(proxy, qemu, "not-it", keyring);
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(wrong, TimeSpan.FromSeconds(15));

        Assert.Equal(4005, code);
        Assert.StartsWith("console security: the VNC server refused the proxy's authentication", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_accepts_only_x509_refuses_anonymous_TLS_and_names_the_scheme_that_would_allow_it()
    {
        using var credentials = new VeNCryptCredentials();
        await using var qemu = await QemuVncServer.StartAsync(anonymousTls: true);
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options, "vencrypt,none"));

        using var client = await OpenAsync(proxy, qemu, password: null, keyring: null);
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client, TimeSpan.FromSeconds(15));

        Assert.Equal((4005, "console security: the VNC server offers VeNCrypt TLSNone; anonymous TLS needs vencrypt-anon"), (code, reason));
        Assert.Contains(proxy.Logs.Lines, line => line.Contains("add vencrypt-anon to --target-auth-schemes (vencrypt,none)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_vencrypt_before_vencrypt_anon_a_certificate_server_is_still_verified_and_an_anonymous_one_accepted()
    {
        using var credentials = new VeNCryptCredentials();
        await using var x509 = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true));
        await using var anonymous = await QemuVncServer.StartAsync(anonymousTls: true);
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options, "vencrypt,vencrypt-anon"));
        await using var misconfigured = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options, "vencrypt,vencrypt-anon") with { TargetCaFile = credentials.OtherCaFile });

        using var toX509 = await OpenAsync(proxy, x509, password: null, keyring: null);
        var x509Width = (await NoVncHandshake.RunAsync(toX509)).Width;
        using var toAnonymous = await OpenAsync(proxy, anonymous, password: null, keyring: null);
        var anonymousWidth = (await NoVncHandshake.RunAsync(toAnonymous)).Width;
        // Allowing anonymous TLS must not turn a certificate that fails into an anonymous session.
        using var refused = await OpenAsync(misconfigured, x509, password: null, keyring: null);
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(refused, TimeSpan.FromSeconds(15));

        Assert.InRange(x509Width, 320, 4096);
        Assert.InRange(anonymousWidth, 320, 4096);
        Assert.Equal((4005, "console security: the VNC server's certificate is not signed by --target-ca"), (code, reason));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteKeyring()
    {
        var path = Path.Combine(_directory, $"keyring-{Guid.NewGuid():N}");
        File.WriteAllText(path, VncPasswordKeyring.NewKeyLine() + "\n");
        return path;
    }

    private static async Task<ClientWebSocket> OpenAsync(TestProxy proxy, QemuVncServer qemu, string? password, string? keyring)
    {
        var token = AccessToken.Mint();
        var hash = TokenHash.Of(token);
        var sealedPassword = password is null ? null : VncPasswordSeal.Seal(password, hash, VncPasswordKeyring.Load(keyring!).Current);
        var record = new TokenRecord(ConsoleTarget.Parse(qemu.Address), proxy.TimeProvider.GetUtcNow().AddMinutes(5), SealedVncPassword: sealedPassword);
        await proxy.App.Store.StoreAsync(hash, record, CancellationToken.None);
        return await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
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
