using TestKit.Processes;
using ConsoleProxy.Tests.Cli;

namespace ConsoleProxy.Tests.Sentinel;

/// <summary>
/// `consoleproxy serve` behind real sentinels with options they refuse: it exits at start-up with one line naming
/// what to fix (exit 1), instead of retrying in a loop that looks like an outage.
/// </summary>
public sealed class SentinelRefusalTests : SentinelDeploymentTest
{
    [Fact]
    public async Task Serve_with_a_wrong_password_exits_1_with_one_line_naming_the_password_option()
    {
        var (exitCode, _, error) = await ServeAsync(Set.MasterName, "not the password");

        Assert.Equal(1, exitCode);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot start (AuthenticationFailed)", error, StringComparison.Ordinal);
        Assert.Contains("--redis-password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not the password", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_a_wrong_master_name_exits_1_with_one_line_naming_the_master_name_option()
    {
        var (exitCode, _, error) = await ServeAsync("not-monitored", Password);

        Assert.Equal(1, exitCode);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot start (SentinelMasterUnknown)", error, StringComparison.Ordinal);
        Assert.Contains("--redis-master-name", error, StringComparison.Ordinal);
        Assert.Contains("'not-monitored'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_through_the_sentinels_stores_on_the_primary()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(
            ["token", "create", "--redis-sentinel", Set.SentinelAddresses, "--redis-master-name", Set.MasterName, "--target", "127.0.0.1:5900"],
            new Dictionary<string, string> { ["CONSOLEPROXY_REDIS_PASSWORD"] = Password });

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
        var primary = await Set.PrimaryAsync();
        Assert.NotEqual("0", await primary.CommandAsync("DBSIZE"));
        Assert.False(string.IsNullOrWhiteSpace(output));
    }

    private Task<(int ExitCode, string Output, string Error)> ServeAsync(string masterName, string password) =>
        CliRunner.RunAsync(
            ["serve", "--host", "127.0.0.1", "--port", "0", "--redis-sentinel", Set.SentinelAddresses, "--redis-master-name", masterName, "--redis-password", password]);
}
