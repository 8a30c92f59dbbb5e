using System.Text.Json;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Cli;

/// <summary>`sessions list` and `token create --share-of/--max-sessions` against a real proxy and redis-server.</summary>
public sealed class SessionsCommandTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    [Fact]
    public async Task Sessions_list_shows_who_is_connected_as_a_table_and_as_json_and_filters_by_token()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { InstanceName = "proxy-a", KeyPrefix = _prefix });
        var token = await proxy.MintAsync(target.Target);
        var other = await proxy.MintAsync(target.Target);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [1, 2, 3]);
        await ProxyClient.ReceiveExactlyAsync(client, 3);
        await Poll.UntilAsync(async () => (await proxy.App.SessionDirectory.ListAllAsync(CancellationToken.None)).Count == 1, "the session to be published");

        var (exitCode, output, error) = await CliRunner.RunAsync(["sessions", "list", "--redis", redis.Server.Address, "--key-prefix", _prefix, "--output", "json"]);
        var (textExit, text, _) = await CliRunner.RunAsync(["sessions", "list", "--redis", redis.Server.Address, "--key-prefix", _prefix]);
        var (_, otherOutput, _) = await CliRunner.RunAsync(["sessions", "list", "--redis", redis.Server.Address, "--key-prefix", _prefix, "--token", other, "--output", "json"]);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        using var json = JsonDocument.Parse(output);
        var session = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(TokenHash.Of(token).Hex, session.GetProperty("token_hash").GetString());
        Assert.Equal("proxy-a", session.GetProperty("proxy_instance").GetString());
        Assert.Equal("127.0.0.1", session.GetProperty("client").GetString());
        Assert.Equal("vnc", session.GetProperty("kind").GetString());
        Assert.False(session.GetProperty("view_only").GetBoolean());
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        Assert.Equal(0, textExit);
        Assert.Contains(TokenHash.Of(token).ShortForm, text, StringComparison.Ordinal);
        Assert.Contains("proxy-a", text, StringComparison.Ordinal);
        Assert.Equal("[]", otherOutput.Trim());
    }

    [Fact]
    public async Task Sessions_list_without_a_reachable_store_fails_with_the_reason()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["sessions", "list", "--redis", "127.0.0.1:1"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_share_of_mints_a_view_only_token_for_the_same_console_that_expires_no_later()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var owner = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromMinutes(5));
        var ownerRecord = (await proxy.App.Store.GetAsync(TokenHash.Of(owner), CancellationToken.None)).Record!;

        var (exitCode, output, error) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--share-of", owner, "--view-only", "--ttl", "1h", "--max-sessions", "3", "--output", "json"]);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        using var json = JsonDocument.Parse(output);
        var share = json.RootElement.GetProperty("token").GetString()!;
        var record = (await proxy.App.Store.GetAsync(TokenHash.Of(share), CancellationToken.None)).Record!;
        Assert.Equal(ownerRecord.Target, record.Target);
        Assert.Equal(ownerRecord.Owner, record.Owner);
        Assert.Equal(TokenFlags.ViewOnly, record.Flags);
        Assert.Equal(3, record.MaxSessions);
        Assert.Equal(ownerRecord.ExpiresAt, record.ExpiresAt);
        Assert.Equal(ownerRecord.ExpiresAt, json.RootElement.GetProperty("expiresAt").GetDateTimeOffset());
        using var viewer = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={share}"));
        await Poll.UntilAsync(() => proxy.App.Sessions.Count == 1, "the share to open a session");
    }

    [Fact]
    public async Task Token_create_share_of_a_console_with_VNC_credentials_carries_the_username_and_seals_the_password_for_the_share()
    {
        var directory = Directory.CreateTempSubdirectory("share-of-credentials-").FullName;
        try
        {
            var passwordFile = Path.Combine(directory, "password");
            var keyring = Path.Combine(directory, "keyring");
            await File.WriteAllTextAsync(passwordFile, "Vm-S3cr8\n");
            await File.WriteAllTextAsync(keyring, Tokens.Secrets.VncPasswordKeyring.NewKeyLine());
            var (ownerExit, ownerOutput, ownerError) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--target", "10.0.0.5:5901", "--vnc-password-file", passwordFile, "--vnc-password-key", keyring, "--vnc-username", "console-viewer", "--output", "json"]);
            Assert.True(ownerExit == 0, ownerError);
            using var ownerJson = JsonDocument.Parse(ownerOutput);

            var (exitCode, output, error) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--share-of", ownerJson.RootElement.GetProperty("token").GetString()!, "--view-only", "--vnc-password-key", keyring, "--output", "json"]);

            Assert.True(exitCode == 0, error);
            using var json = JsonDocument.Parse(output);
            var hash = json.RootElement.GetProperty("tokenHash").GetString()!;
            Assert.Equal("console-viewer", await redis.Server.CommandAsync("HGET", $"consoleproxy:token:{hash}", "vnc_username"));
            var sealedPassword = await redis.Server.CommandAsync("HGET", $"consoleproxy:token:{hash}", "vnc_password");
            Assert.StartsWith("v1.", sealedPassword, StringComparison.Ordinal);
            Assert.NotEqual(await redis.Server.CommandAsync("HGET", $"consoleproxy:token:{ownerJson.RootElement.GetProperty("tokenHash").GetString()}", "vnc_password"), sealedPassword);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Token_create_share_of_an_unknown_token_or_with_a_target_is_refused_with_the_reason()
    {
        var (unknownExit, _, unknownError) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--share-of", AccessToken.Mint(), "--view-only"]);
        var (bothExit, _, bothError) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--share-of", "x", "--target", "10.0.0.1:5900"]);
        var (neitherExit, _, neitherError) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address]);

        Assert.Equal(1, unknownExit);
        Assert.Contains("only a live token's console can be shared", unknownError, StringComparison.Ordinal);
        Assert.Equal(2, bothExit);
        Assert.Contains("give exactly one of --target", bothError, StringComparison.Ordinal);
        Assert.Equal(2, neitherExit);
        Assert.Contains("give exactly one of --target", neitherError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_max_sessions_is_stored_and_older_records_have_none()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--target", "10.0.0.1:5900", "--max-sessions", "1", "--output", "json"]);
        var (plainExit, plainOutput, _) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--target", "10.0.0.1:5900", "--output", "json"]);

        Assert.Equal(0, exitCode);
        Assert.Equal(0, plainExit);
        using var json = JsonDocument.Parse(output);
        using var plain = JsonDocument.Parse(plainOutput);
        var fields = await redis.Server.CommandAsync("HGETALL", "consoleproxy:token:" + json.RootElement.GetProperty("tokenHash").GetString());
        var plainFields = await redis.Server.CommandAsync("HGETALL", "consoleproxy:token:" + plain.RootElement.GetProperty("tokenHash").GetString());
        Assert.Contains("max_sessions\n1", fields, StringComparison.Ordinal);
        Assert.DoesNotContain("max_sessions", plainFields, StringComparison.Ordinal);
    }
}
