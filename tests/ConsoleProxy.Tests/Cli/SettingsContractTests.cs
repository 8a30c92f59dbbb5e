using ConsoleProxy.Configuration;
using System.CommandLine;
using System.Text.Json;
using ConsoleProxy.Cli;
using ConsoleProxy.Hosting;
using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleProxy.Tests.Cli;

/// <summary>
/// The proxy's half of the operator-to-proxy contract: every setting the operator may write as a variable is read
/// back by `serve`'s command line to the same value, and reaches the proxy's options.
/// </summary>
public sealed class SettingsContractTests
{
    [Fact]
    public void Every_setting_written_as_a_variable_reads_back_through_serve_to_the_same_value()
    {
        var written = ProxySettingsContract.All.Aggregate(ProxySettings.Empty, (settings, setting) => WithSample(settings, setting));
        var environment = written.ToEnvironment();

        var serve = new ServeOptions();
        var command = new RootCommand();
        serve.AddTo(command);
        var result = command.Parse(EnvironmentVariables.Apply(command, [], name => environment.TryGetValue(name, out var value) ? value : null));
        Assert.Empty(result.Errors);
        var read = serve.ReadSettings(result);

        Assert.Equal(ProxySettingsContract.All, read.Given);
        Assert.Equal(environment, read.ToEnvironment());
        Assert.Equal(environment, ProxySettings.FromEnvironment(name => environment.TryGetValue(name, out var value) ? value : null).ToEnvironment());
    }

    [Fact]
    public void Every_setting_reaches_the_proxy_s_options()
    {
        var defaults = Describe(ProxyOptions.FromSettings(ProxySettings.Empty));

        Assert.All(ProxySettingsContract.All, setting =>
            Assert.True(defaults != Describe(ProxyOptions.FromSettings(WithSample(ProxySettings.Empty, setting))), $"{setting.Option} does not change ProxyOptions"));
    }

    [Fact]
    public void The_options_defaults_are_the_contract_s()
    {
        var options = ProxyOptions.FromSettings(ProxySettings.Empty);
        var record = new ProxyOptions { RedisAddress = string.Empty, WebRoot = ProxyOptions.BundledWebRoot };

        Assert.Equal(Describe(record), Describe(options));
        Assert.Equal(ProxySettingsContract.PingInterval.Default, options.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(25), options.DrainTimeout);
    }

    [Fact]
    public void Help_shows_each_setting_s_variable_from_the_contract()
    {
        var serve = new ServeOptions();

        Assert.Equal(ProxySettingsContract.All.Select(setting => setting.Option), serve.All.Select(option => option.Name));
        Assert.All(serve.All.Zip(ProxySettingsContract.All), pair => Assert.Contains($"[env: {pair.Second.EnvironmentVariable}]", pair.First.Description, StringComparison.Ordinal));
    }

    /// <summary>A value unlike the setting's default, of its type.</summary>
    private static ProxySettings WithSample(ProxySettings settings, ProxySetting setting) => setting switch
    {
        ProxySetting<IReadOnlyList<string>> list => settings.With(list, list == ProxySettingsContract.Kinds ? ["vnc", "serial"] : ["10.1.0.0/16:5900", "10.2.0.0/16:5901"]),
        ProxySetting<PolicyList<AllowedTarget>> targets => settings.With(targets, ["10.1.0.0/16:5900", "10.2.0.0/16:5901"]),
        ProxySetting<PolicyList<AllowedOrigin>> origins => settings.With(origins, ["https://a.example.com", "b.example.com:8443"]),
        ProxySetting<TimeSpan> duration => settings.With(duration, TimeSpan.FromSeconds(17)),
        ProxySetting<int> integer => settings.With(integer, 4242),
        ProxySetting<bool> flag => settings.With(flag, true),
        ProxySetting<string> text => settings.With(text, "sample-" + setting.Option.TrimStart('-')),
        _ => throw new ArgumentException($"{setting.Option} has a value type this test has no sample for", nameof(setting)),
    };

    private static string Describe(ProxyOptions options) => JsonSerializer.Serialize(options);
}
