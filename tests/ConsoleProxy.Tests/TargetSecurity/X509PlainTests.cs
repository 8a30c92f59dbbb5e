using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>
/// VeNCrypt X509Plain: the token's user name and sealed password are sent inside the TLS session whose server
/// certificate the proxy verified (and where it showed its client certificate); the browser is offered None. The server
/// is <see cref="VeNCryptPlainServer"/> (its comment says why no installable one can be used).
/// </summary>
public sealed class X509PlainTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private const string Username = "console-operator";
    private const string Password = "Pl41n-S3cret-pw";
    private readonly string _directory = Directory.CreateTempSubdirectory("x509-plain-").FullName;

    [Fact]
    public async Task The_user_name_and_password_go_inside_verified_TLS_and_the_browser_gets_the_screen()
    {
        using var credentials = new VeNCryptCredentials();
        await using var server = new VeNCryptPlainServer(credentials, Username, Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with { VncPasswordKeyFile = keyring });

        using var client = await OpenAsync(proxy, server, Username, Password, keyring);
        var (width, height) = await NoVncHandshake.RunAsync(client);
        await RequestAndReceiveAnUpdateAsync(client, width, height);

        Assert.Equal((640, 480), (width, height));
        Assert.Equal((1, 0), (server.Accepted, server.FailedLogins));
        Assert.DoesNotContain(Password, proxy.Logs.All, StringComparison.Ordinal);
        await SecretLeakScan.AssertNotInRedisAsync(redis.Server, Password);
    }

    [Fact]
    public async Task A_wrong_password_ends_with_4005_and_the_servers_reason()
    {
        using var credentials = new VeNCryptCredentials();
        await using var server = new VeNCryptPlainServer(credentials, Username, Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with { VncPasswordKeyFile = keyring });

        using var client = await OpenAsync(proxy, server, Username, "not-the-password", keyring);
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client, TimeSpan.FromSeconds(15));

        Assert.Equal((4005, "console security: the VNC server refused the proxy's authentication: Authentication failed"), (code, reason));
        Assert.Equal((0, 1), (server.Accepted, server.FailedLogins));
        Assert.DoesNotContain("not-the-password", proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_a_user_name_is_refused_before_anything_is_sent()
    {
        using var credentials = new VeNCryptCredentials();
        await using var server = new VeNCryptPlainServer(credentials, Username, Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with { VncPasswordKeyFile = keyring });

        using var passwordOnly = await OpenAsync(proxy, server, null, Password, keyring);
        var passwordOnlyClose = await ProxyClient.ReceiveCloseAsync(passwordOnly, TimeSpan.FromSeconds(15));
        using var neither = await OpenAsync(proxy, server, null, null, keyring);
        var neitherClose = await ProxyClient.ReceiveCloseAsync(neither, TimeSpan.FromSeconds(15));

        Assert.Equal((4005, "console security: the VNC server wants a user name and password (X509Plain); the token has no user name"), (passwordOnlyClose.Code, passwordOnlyClose.Reason));
        Assert.Equal((4005, "console security: the VNC server wants a user name and password (X509Plain); the token has neither"), (neitherClose.Code, neitherClose.Reason));
        Assert.Equal((0, 0), (server.Accepted, server.FailedLogins));
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_gets_no_credentials()
    {
        using var credentials = new VeNCryptCredentials();
        await using var server = new VeNCryptPlainServer(credentials, Username, Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with { VncPasswordKeyFile = keyring, TargetCaFile = credentials.OtherCaFile });

        using var client = await OpenAsync(proxy, server, Username, Password, keyring);
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client, TimeSpan.FromSeconds(15));

        Assert.Equal((4005, "console security: the VNC server's certificate is not signed by --target-ca"), (code, reason));
        Assert.Equal((0, 0), (server.Accepted, server.FailedLogins));
    }

    [Fact]
    public async Task A_view_only_token_through_VeNCrypt_gets_the_screen_but_its_keys_and_pointer_never_reach_the_server()
    {
        using var credentials = new VeNCryptCredentials();
        await using var server = new VeNCryptPlainServer(credentials, Username, Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with { VncPasswordKeyFile = keyring });
        using var client = await OpenAsync(proxy, server, Username, Password, keyring, TokenFlags.ViewOnly);
        var (width, height) = await NoVncHandshake.RunAsync(client);
        byte[] keyEvent = [4, 1, 0, 0, 0, 0, 0, 0x61];
        byte[] pointerEvent = [5, 1, 0, 10, 0, 10];

        await ProxyClient.SendAsync(client, [.. keyEvent, .. pointerEvent]);
        await RequestAndReceiveAnUpdateAsync(client, width, height);

        // The update request was sent after the input, over the same TLS stream: had the input gone through, it
        // would have arrived first.
        Assert.Equal((1, 0), (server.UpdateRequests, server.InputEvents));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteKeyring()
    {
        var path = Path.Combine(_directory, $"keyring-{Guid.NewGuid():N}");
        File.WriteAllText(path, VncPasswordKeyring.NewKeyLine() + "\n");
        return path;
    }

    private static async Task<ClientWebSocket> OpenAsync(TestProxy proxy, VeNCryptPlainServer server, string? username, string? password, string keyring, TokenFlags flags = TokenFlags.None)
    {
        var token = AccessToken.Mint();
        var hash = TokenHash.Of(token);
        var sealedPassword = password is null ? null : VncPasswordSeal.Seal(password, hash, VncPasswordKeyring.Load(keyring).Current);
        var record = new TokenRecord(server.Target, proxy.TimeProvider.GetUtcNow().AddMinutes(5), flags, SealedVncPassword: sealedPassword, VncUsername: username);
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
