using System.CommandLine;
using ConsoleProxy.Cli;
using ConsoleProxy.Configuration;
using ConsoleProxy.Hosting;
using ConsoleProxy.TargetSecurity;
using ConsoleProxy.Tokens.Settings;
using TestKit.Repository;

namespace ConsoleProxy.Tests.Cli;

public sealed class ServeOptionsTests
{
    /// <summary>The settings contract, which the operator writes and `serve` is generated from: the one list of names.</summary>
    private static IReadOnlyList<ProxySetting> Contract => ProxySettingsContract.All;

    [Fact]
    public void Every_setting_is_exactly_one_serve_option_with_its_variable()
    {
        var options = new ServeOptions().All.ToArray();

        Assert.Equal(Contract.Select(setting => setting.Option), options.Select(option => option.Name));
        Assert.Equal(Contract.Count, Contract.Select(setting => setting.Option).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Contract.Count, Contract.Select(setting => setting.EnvironmentVariable).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Contract.Zip(options), pair =>
        {
            var (setting, option) = pair;
            Assert.Equal(setting.EnvironmentVariable, EnvironmentVariables.NameFor(option));
            Assert.Equal("CONSOLEPROXY_" + setting.Option.TrimStart('-').Replace('-', '_').ToUpperInvariant(), setting.EnvironmentVariable);
        });
    }

    [Fact]
    public void An_option_left_out_reads_as_the_contracts_default()
    {
        var settings = ReadSettings(["--redis", "127.0.0.1:6379"]);

        Assert.Equal([ProxySettingsContract.Redis], settings.Given);
        Assert.All(Contract.OfType<ProxySetting<string>>().Where(setting => setting.HasDefault), setting => Assert.Equal(setting.Default, settings.Get(setting)));
        Assert.All(Contract.OfType<ProxySetting<int>>(), setting => Assert.Equal(setting.Default, settings.Get(setting)));
        Assert.All(Contract.OfType<ProxySetting<TimeSpan>>(), setting => Assert.Equal(setting.Default, settings.Get(setting)));
        Assert.All(Contract.OfType<ProxySetting<bool>>(), setting => Assert.False(settings.Get(setting)));
        Assert.All(Contract.OfType<ProxySetting<IReadOnlyList<string>>>().Where(setting => setting.HasDefault), setting => Assert.Equal(setting.Default, settings.Get(setting)));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    public async Task Help_lists_every_option_with_its_variable_and_defaults(params string[] args)
    {
        var (exitCode, output, _) = await CliRunner.RunAsync(args);
        var flatOutput = string.Join(' ', output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(0, exitCode);
        foreach (var setting in Contract)
        {
            Assert.Contains(setting.Option, output, StringComparison.Ordinal);
            Assert.Contains($"[env: {setting.EnvironmentVariable}]", flatOutput, StringComparison.Ordinal);
            if (setting.Shape != ProxySettingShape.Flag && !string.IsNullOrEmpty(setting.DefaultText))
            {
                Assert.Contains($"[default: {setting.DefaultText}]", flatOutput, StringComparison.Ordinal);
            }
        }

        Assert.Contains("[default: 0.0.0.0]", output, StringComparison.Ordinal);
        Assert.Contains("[default: 6080]", output, StringComparison.Ordinal);
        Assert.Contains("[default: consoleproxy:]", output, StringComparison.Ordinal);
        Assert.Contains("[default: 30s]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_README_serve_table_names_every_option_and_only_those_with_their_fixed_defaults()
    {
        var rows = ServeTableRows(File.ReadAllLines(Checkout.File("proxy", "ConsoleProxy", "README.md")));

        Assert.Equal(
            Contract.Select(setting => setting.Option).Order(StringComparer.Ordinal),
            rows.SelectMany(row => row.Options).Order(StringComparer.Ordinal));
        foreach (var setting in Contract)
        {
            var row = rows.Single(row => row.Options.Contains(setting.Option));

            // Durations, counts and flags have fixed defaults; a text default may be the machine's (--web, --instance-name).
            var expected = setting.Shape switch
            {
                ProxySettingShape.Flag => "off",
                ProxySettingShape.Duration or ProxySettingShape.Integer => $"`{setting.DefaultText}`",
                _ => null,
            };
            if (expected is not null)
            {
                Assert.True(row.Default.StartsWith(expected, StringComparison.Ordinal), $"README: {setting.Option}'s default is '{row.Default}', the contract's {expected}");
            }
        }
    }

    [Fact]
    public async Task Help_names_every_target_auth_scheme_and_the_token_user_name()
    {
        var (serveExit, serveHelp, _) = await CliRunner.RunAsync(["serve", "--help"]);
        var (createExit, createHelp, _) = await CliRunner.RunAsync(["token", "create", "--help"]);
        var flatServeHelp = string.Join(' ', serveHelp.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal((0, 0), (serveExit, createExit));
        Assert.Contains("vencrypt-anon (VeNCrypt TLSNone, or TLSVnc", flatServeHelp, StringComparison.Ordinal);
        Assert.Contains("X509Plain with the token's user name", flatServeHelp, StringComparison.Ordinal);
        Assert.Contains("--vnc-username", createHelp, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_follow_nova()
    {
        var options = Read(["--redis", "127.0.0.1:6379"]);

        Assert.Equal("0.0.0.0", options.Host);
        Assert.Equal(6080, options.Port);
        Assert.Equal("consoleproxy:", options.KeyPrefix);
        Assert.Equal(ProxyOptions.BundledWebRoot, options.WebRoot);
        Assert.False(options.EnforceExpiry);
        Assert.False(options.SslOnly);
        Assert.Null(options.IdleTimeout);
        Assert.Null(options.MaxDuration);
        Assert.Empty(options.AllowedTargets);
        Assert.Empty(ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Every_option_maps_onto_the_options_record()
    {
        var options = Read(
        [
            "--host", "127.0.0.1", "--port", "7000", "--redis", "[::1]:6379", "--redis-password", "pw", "--redis-tls",
            "--key-prefix", "p:", "--web", "/usr/share/novnc", "--allowed-origin", "https://a.example.com", "--allowed-origin", "b.example.com",
            "--ssl-only", "--idle-timeout", "5m", "--max-duration", "8h", "--enforce-expiry", "--max-sessions", "100",
            "--ping-interval", "15", "--drain-timeout", "1m", "--allowed-target", "10.0.0.0/8:5900-5999", "--allowed-target", "[fd00:20::]/48:5900",
        ]);

        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(7000, options.Port);
        Assert.Equal("[::1]:6379", options.RedisAddress);
        Assert.Equal("pw", options.RedisPassword);
        Assert.True(options.RedisTls);
        Assert.Equal("p:", options.KeyPrefix);
        Assert.Equal("/usr/share/novnc", options.WebRoot);
        Assert.Equal(["https://a.example.com", "b.example.com"], options.AllowedOrigins);
        Assert.True(options.SslOnly);
        Assert.Equal(TimeSpan.FromMinutes(5), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(8), options.MaxDuration);
        Assert.True(options.EnforceExpiry);
        Assert.Equal(100, options.MaxSessions);
        Assert.Equal(TimeSpan.FromSeconds(15), options.PingInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), options.DrainTimeout);
        Assert.Equal(["10.0.0.0/8:5900-5999", "[fd00:20::]/48:5900"], options.AllowedTargets);
        Assert.Empty(ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Environment_variables_fill_in_options_and_the_command_line_wins()
    {
        var environment = new Dictionary<string, string>
        {
            ["CONSOLEPROXY_REDIS"] = "redis.example.com:6379",
            ["CONSOLEPROXY_PORT"] = "7001",
            ["CONSOLEPROXY_HOST"] = "127.0.0.2",
            ["CONSOLEPROXY_REDIS_TLS"] = "1",
            ["CONSOLEPROXY_ENFORCE_EXPIRY"] = "true",
            ["CONSOLEPROXY_ALLOWED_TARGET"] = "10.0.0.0/8:5900-5999, 192.168.0.0/16 [fd00:20::]/48:5900",
            ["CONSOLEPROXY_ALLOWED_ORIGIN"] = "https://a.example.com",
            ["CONSOLEPROXY_IDLE_TIMEOUT"] = "10m",
        };

        var options = Read(["--host", "127.0.0.1"], environment);

        Assert.Equal("redis.example.com:6379", options.RedisAddress);
        Assert.Equal(7001, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.True(options.RedisTls);
        Assert.True(options.EnforceExpiry);
        Assert.Equal(["10.0.0.0/8:5900-5999", "192.168.0.0/16", "[fd00:20::]/48:5900"], options.AllowedTargets);
        Assert.Equal(["https://a.example.com"], options.AllowedOrigins);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleTimeout);
    }

    [Theory]
    [InlineData("--port", "abc")]
    [InlineData("--idle-timeout", "soon")]
    [InlineData("--drain-timeout", "-5")]
    [InlineData("--unknown-option", "1")]
    public async Task Malformed_options_exit_with_usage_code_2_and_a_message(string option, string value)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--redis", "127.0.0.1:1", option, value]);

        Assert.Equal(2, exitCode);
        Assert.Contains(option, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_without_redis_is_a_usage_error()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--redis", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_environment_variable_is_a_usage_error_too()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync([], new Dictionary<string, string> { ["CONSOLEPROXY_REDIS"] = "127.0.0.1:1", ["CONSOLEPROXY_MAX_SESSIONS"] = "many" });

        Assert.Equal(2, exitCode);
        Assert.Contains("--max-sessions", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--allowed-target", "10.0.0.0/33", "--allowed-target")]
    [InlineData("--allowed-origin", "https://a.example.com/x", "--allowed-origin")]
    [InlineData("--host", "not-an-address", "--host")]
    [InlineData("--cert", "/nonexistent.pem", "--cert and --key")]
    [InlineData("--redis", "no-port", "--redis")]
    public async Task Values_the_options_record_refuses_exit_with_2_before_anything_starts(string option, string value, string expected)
    {
        var args = option == "--redis" ? new[] { "serve", option, value } : ["serve", "--redis", "127.0.0.1:1", option, value];

        var (exitCode, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.EndsWith(ConsoleProxyCommandLine.UsageHint, error.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("10.0.0.0/7:5900-5999")]
    public async Task A_wide_allowed_target_is_refused_at_start_unless_asked_for_by_name(string target)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--redis", "127.0.0.1:1", "--allowed-target", target]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--allowed-target: allowed target", error, StringComparison.Ordinal);
        Assert.Contains("is wider than /8 (IPv4) or /32 (IPv6)", error, StringComparison.Ordinal);
        Assert.Contains("--allow-wide-target-networks", error, StringComparison.Ordinal);

        var optedIn = Read(["--redis", "127.0.0.1:1", "--allowed-target", target, "--allow-wide-target-networks"]);
        Assert.True(optedIn.AllowWideTargetNetworks);
        Assert.Empty(ProxyOptionsValidator.Validate(optedIn));
    }

    [Theory]
    [InlineData("--kinds vnc,rdp", "--kinds: 'rdp' is not a console kind; expected one of vnc, serial, spice")]
    [InlineData("--kinds vnc,vnc", "--kinds: 'vnc' is named twice")]
    [InlineData("--spice-allowed-target 10.0.0.0/8:5930", "--spice-allowed-target is given but --kinds does not include spice")]
    [InlineData("--kinds vnc,spice --allowed-target 10.0.0.0/8:5900-5999", "--kinds spice needs --spice-allowed-target")]
    [InlineData("--kinds spice --spice-allowed-target 0.0.0.0/0", "--spice-allowed-target: allowed target")]
    [InlineData("--serial-allowed-target 10.0.0.0/8:7000", "--serial-allowed-target is given but --kinds does not include serial")]
    [InlineData("--kinds vnc,serial --allowed-target 10.0.0.0/8:5900-5999", "--kinds serial needs --serial-allowed-target")]
    [InlineData("--kinds serial --serial-allowed-target 10.0.0.0/33", "--serial-allowed-target: ")]
    [InlineData("--kinds serial --serial-allowed-target 0.0.0.0/0", "--serial-allowed-target: allowed target")]
    public async Task Console_kind_options_that_cannot_work_exit_with_2_and_say_why(string options, string expected)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--redis", "127.0.0.1:1", .. options.Split(' ')]);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinds_default_to_VNC_only_and_read_from_the_command_line_and_the_environment()
    {
        Assert.Equal(["vnc"], Read(["--redis", "127.0.0.1:1"]).Kinds);

        var options = Read(
            ["--redis", "127.0.0.1:1", "--allowed-target", "10.0.0.0/8:5900-5999"],
            new Dictionary<string, string> { ["CONSOLEPROXY_KINDS"] = "vnc,serial", ["CONSOLEPROXY_SERIAL_ALLOWED_TARGET"] = "10.1.0.0/16:7000-7099" });

        Assert.Equal(["vnc", "serial"], options.Kinds);
        Assert.Equal(["10.1.0.0/16:7000-7099"], options.SerialAllowedTargets);
        Assert.Empty(ProxyOptionsValidator.Validate(options));
        var served = options.ParseServedKinds();
        Assert.True(served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Serial, out var serial));
        Assert.True(serial.Allows(System.Net.IPAddress.Parse("10.1.2.3"), 7000));
        Assert.False(serial.Allows(System.Net.IPAddress.Parse("10.1.2.3"), 5900));
        Assert.True(served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Vnc, out var vnc));
        Assert.False(vnc.Allows(System.Net.IPAddress.Parse("10.1.2.3"), 7000));
    }

    [Fact]
    public void SPICE_has_its_own_allow_list_from_the_command_line_and_the_environment()
    {
        var options = Read(
            ["--redis", "127.0.0.1:1", "--allowed-target", "10.0.0.0/8:5900-5999", "--kinds", "vnc,spice"],
            new Dictionary<string, string> { ["CONSOLEPROXY_SPICE_ALLOWED_TARGET"] = "10.2.0.0/16:61000-61009" });

        Assert.Equal(["vnc,spice"], options.Kinds);
        Assert.Equal(["10.2.0.0/16:61000-61009"], options.SpiceAllowedTargets);
        Assert.Empty(ProxyOptionsValidator.Validate(options));
        var served = options.ParseServedKinds();
        Assert.True(served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Spice, out var spice));
        Assert.True(spice.Allows(System.Net.IPAddress.Parse("10.2.0.1"), 61000));
        Assert.False(spice.Allows(System.Net.IPAddress.Parse("10.2.0.1"), 5900));
        Assert.False(served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Serial, out _));
        Assert.True(served.TryGetPolicy(Tokens.Kinds.ConsoleKind.Vnc, out var vnc));
        Assert.False(vnc.Allows(System.Net.IPAddress.Parse("10.2.0.1"), 61000));
    }

    [Theory]
    [InlineData("--target-auth-schemes rdp", "--target-auth-schemes: unknown auth scheme 'rdp': use vencrypt, vencrypt-anon, vnc and/or none")]
    [InlineData("--target-auth-schemes vencrypt", "--target-auth-schemes vencrypt needs --target-ca")]
    [InlineData("--target-tls", "--target-tls needs --target-ca")]
    [InlineData("--target-auth-schemes vencrypt --target-ca /nonexistent-ca.pem", "--target-ca '/nonexistent-ca.pem' does not exist")]
    [InlineData("--target-auth-schemes vencrypt --target-ca /etc/hostname --target-cert /etc/hostname", "--target-cert and --target-key go together")]
    [InlineData("--target-ca /etc/hostname", "are used only with --target-auth-schemes vencrypt or --target-tls")]
    public async Task Target_security_options_that_cannot_work_exit_with_2_and_say_why(string options, string expected)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--redis", "127.0.0.1:1", .. options.Split(' ')]);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_auth_schemes_keep_their_order_of_preference_from_a_list_or_the_environment_form()
    {
        var options = Read(["--redis", "127.0.0.1:1", "--target-auth-schemes", "none,vencrypt", "--target-ca", "/etc/hostname"]);

        Assert.Empty(ProxyOptionsValidator.Validate(options));
        Assert.Equal([TargetAuthScheme.None, TargetAuthScheme.VeNCrypt], options.ToTargetSecurityOptions().AuthSchemes);
    }

    [Fact]
    public void Anonymous_TLS_is_its_own_scheme_and_needs_no_CA()
    {
        var options = Read(["--redis", "127.0.0.1:1", "--target-auth-schemes", "vencrypt-anon,vnc"]);

        Assert.Empty(ProxyOptionsValidator.Validate(options));
        Assert.Equal([TargetAuthScheme.VeNCryptAnonymous, TargetAuthScheme.Vnc], options.ToTargetSecurityOptions().AuthSchemes);
        Assert.Equal("vencrypt-anon,vnc", TargetSecurityOptions.Describe(options.ToTargetSecurityOptions().AuthSchemes));
    }

    [Fact]
    public void The_validator_reports_every_problem_at_once()
    {
        var errors = ProxyOptionsValidator.Validate(new ProxyOptions
        {
            RedisAddress = "",
            WebRoot = "/x",
            Port = 70000,
            MaxSessions = -1,
            KeyPrefix = "",
            CertificatePath = "/a.pem",
        });

        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void The_session_policy_options_default_to_reject_unlimited_and_the_host_name_and_bad_values_are_named()
    {
        var defaults = Read(["--redis", "127.0.0.1:6379"]);
        Assert.Equal("reject", defaults.OnSessionLimit);
        Assert.Equal(0, defaults.MaxSessionsPerTarget);
        Assert.Equal(Environment.MachineName, defaults.InstanceName);

        var bad = Read(["--redis", "127.0.0.1:6379", "--on-session-limit", "kick", "--max-sessions-per-target", "-1", "--instance-name", "a/b"]);
        var errors = ProxyOptionsValidator.Validate(bad);

        Assert.Contains("--on-session-limit 'kick' is not one of reject, takeover", errors);
        Assert.Contains("--max-sessions-per-target -1 is negative (0 means unlimited)", errors);
        Assert.Contains("--instance-name 'a/b' must be a non-empty name without '/' (the pod name)", errors);
        Assert.Empty(ProxyOptionsValidator.Validate(Read(["--redis", "127.0.0.1:6379", "--on-session-limit", "takeover", "--max-sessions-per-target", "2"])));
    }

    private static ProxyOptions Read(string[] args, Dictionary<string, string>? environment = null) => ProxyOptions.FromSettings(ReadSettings(args, environment));

    private static ProxySettings ReadSettings(string[] args, Dictionary<string, string>? environment = null)
    {
        var serve = new ServeOptions();
        var command = new RootCommand();
        serve.AddTo(command);
        var result = command.Parse(EnvironmentVariables.Apply(command, args, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null));
        Assert.Empty(result.Errors);
        return serve.ReadSettings(result);
    }

    /// <summary>The rows of the README's `serve` table: the options its first cell names, and its default cell.</summary>
    private static IReadOnlyList<(IReadOnlyList<string> Options, string Default)> ServeTableRows(string[] readme)
    {
        var header = Array.IndexOf(readme, "| Option | Default | Meaning |");
        Assert.True(header >= 0, "README.md of the proxy has the serve table ('| Option | Default | Meaning |')");
        return [.. readme.Skip(header + 2).TakeWhile(line => line.StartsWith('|')).Select(line =>
        {
            var cells = line.Split(" | ");
            var options = System.Text.RegularExpressions.Regex.Matches(cells[0], "`(--[a-z-]+)").Select(match => match.Groups[1].Value).ToArray();
            return ((IReadOnlyList<string>)options, cells[1].Trim());
        })];
    }

    [Fact]
    public async Task Serve_on_a_port_already_in_use_fails_with_1_and_one_clear_line()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var redis = await TestKit.Processes.RedisServer.StartAsync();

        var (exitCode, _, error) = await CliRunner.RunAsync(["serve", "--host", "127.0.0.1", "--port", port, "--redis", redis.Address]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("consoleproxy cannot start:", error, StringComparison.Ordinal);
    }
}
