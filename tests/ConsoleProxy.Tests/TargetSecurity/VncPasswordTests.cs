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
/// A VM's VNC password the person at the browser never sees: sealed in the token record, opened by the proxy only to
/// answer QEMU's real challenge (security type 2, and X509Vnc inside VeNCrypt), absent from every log and Redis value.
/// </summary>
public sealed class VncPasswordTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private const string Password = "Vm-S3cr8";
    private readonly string _directory = Directory.CreateTempSubdirectory("vnc-password-").FullName;

    [Fact]
    public async Task The_proxy_answers_QEMUs_VNC_password_challenge_and_offers_the_browser_None()
    {
        await using var qemu = await QemuVncServer.StartAsync(password: true);
        await qemu.SetPasswordAsync(Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetAuthSchemes = ["vnc"], VncPasswordKeyFile = keyring });

        using var client = await OpenAsync(proxy, qemu, Password, keyring);

        Assert.InRange((await NoVncHandshake.RunAsync(client)).Width, 320, 4096);
        await ExpectPasswordNowhereAsync(proxy);
    }

    [Fact]
    public async Task Inside_VeNCrypt_X509Vnc_the_password_is_answered_over_TLS()
    {
        using var credentials = new VeNCryptCredentials();
        await using var qemu = await QemuVncServer.StartAsync(credentials.Qemu(verifyPeer: true), password: true);
        await qemu.SetPasswordAsync(Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => credentials.Configure(options) with { VncPasswordKeyFile = keyring });

        using var client = await OpenAsync(proxy, qemu, Password, keyring);

        Assert.InRange((await NoVncHandshake.RunAsync(client)).Width, 320, 4096);
        await ExpectPasswordNowhereAsync(proxy);
    }

    [Fact]
    public async Task A_wrong_password_and_a_missing_one_end_with_4005_and_why()
    {
        await using var qemu = await QemuVncServer.StartAsync(password: true);
        await qemu.SetPasswordAsync(Password);
        var keyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetAuthSchemes = ["vnc"], VncPasswordKeyFile = keyring });

        using var wrong = await OpenAsync(proxy, qemu, "not-it", keyring);
        var wrongClose = await ProxyClient.ReceiveCloseAsync(wrong, TimeSpan.FromSeconds(15));
        using var missing = await OpenAsync(proxy, qemu, null, keyring);
        var missingClose = await ProxyClient.ReceiveCloseAsync(missing, TimeSpan.FromSeconds(15));

        Assert.Equal(4005, wrongClose.Code);
        Assert.StartsWith("console security: the VNC server refused the proxy's authentication", wrongClose.Reason, StringComparison.Ordinal);
        Assert.Equal((4005, "console security: the VNC server wants a password; the token has none"), (missingClose.Code, missingClose.Reason));
    }

    [Fact]
    public async Task A_password_sealed_with_a_key_the_proxy_lacks_is_refused_without_reaching_the_VM()
    {
        await using var qemu = await QemuVncServer.StartAsync(password: true);
        await qemu.SetPasswordAsync(Password);
        var proxysKeyring = WriteKeyring();
        var othersKeyring = WriteKeyring();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { TargetAuthSchemes = ["vnc"], VncPasswordKeyFile = proxysKeyring });

        using var client = await OpenAsync(proxy, qemu, Password, othersKeyring);
        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client, TimeSpan.FromSeconds(15));

        Assert.Equal((4005, "console security: the token's VNC password cannot be opened"), (code, reason));
        Assert.Contains(proxy.Logs.Lines, line => line.Contains("which --vnc-password-key does not hold", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteKeyring()
    {
        var path = Path.Combine(_directory, $"keyring-{Guid.NewGuid():N}");
        File.WriteAllText(path, VncPasswordKeyring.NewKeyLine() + "\n");
        return path;
    }

    private static async Task<ClientWebSocket> OpenAsync(TestProxy proxy, QemuVncServer qemu, string? password, string keyring)
    {
        var token = AccessToken.Mint();
        var hash = TokenHash.Of(token);
        var sealedPassword = password is null ? null : VncPasswordSeal.Seal(password, hash, VncPasswordKeyring.Load(keyring).Current);
        var record = new TokenRecord(ConsoleTarget.Parse(qemu.Address), proxy.TimeProvider.GetUtcNow().AddMinutes(5), SealedVncPassword: sealedPassword);
        await proxy.App.Store.StoreAsync(hash, record, CancellationToken.None);
        return await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
    }

    /// <summary>Neither the proxy's log nor any value in Redis holds the password.</summary>
    private async Task ExpectPasswordNowhereAsync(TestProxy proxy)
    {
        Assert.DoesNotContain(Password, proxy.Logs.All, StringComparison.Ordinal);
        await SecretLeakScan.AssertNotInRedisAsync(redis.Server, Password);
    }
}
