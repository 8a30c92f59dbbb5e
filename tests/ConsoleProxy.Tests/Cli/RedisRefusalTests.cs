using TestKit.Processes;

namespace ConsoleProxy.Tests.Cli;

/// <summary>
/// Options Redis refuses stop the proxy and the token verbs at once with one line naming what to fix,
/// instead of a retry loop that looks like an outage.
/// </summary>
public sealed class RedisRefusalTests : IAsyncLifetime
{
    private const string Password = "the right one";
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server is not started");

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync(Password);

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Serve_with_a_wrong_password_exits_1_naming_the_password_option()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--host", "127.0.0.1", "--port", "0", "--redis", Redis.Address, "--redis-password", "not it"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("cannot start (AuthenticationFailed)", error, StringComparison.Ordinal);
        Assert.Contains("--redis-password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not it", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_with_a_wrong_user_exits_1_naming_the_user_option()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["token", "create", "--redis", Redis.Address, "--redis-user", "nobody", "--redis-password", Password, "--target", "127.0.0.1:5900"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--redis-user", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--redis-sentinel", "127.0.0.1:26379")]
    [InlineData("--redis-master-name", "mymaster")]
    public async Task Sentinel_options_without_their_partner_are_refused_before_connecting(string option, string value)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--host", "127.0.0.1", "--port", "0", option, value]);

        Assert.Equal(2, exitCode);
        Assert.Contains(option == "--redis-sentinel" ? "--redis-master-name is required" : "--redis-master-name needs --redis-sentinel", error, StringComparison.Ordinal);
    }
}
