using ConsoleProxy.Tokens.Policy;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleProxy.Tokens.Tests.Policy;

/// <summary>
/// The contract's one parser of allowed targets and origins: what the operator's validator, the operator's writer
/// and the proxy's reader each get their parsed lists from.
/// </summary>
public sealed class PolicyListTests
{
    [Fact]
    public void Every_bad_entry_is_reported_with_its_index_and_its_parser_s_words()
    {
        Assert.False(PolicyList.TryParse<AllowedTarget>(["10.0.0.0/8:5900", "10.0.0.5/8", "console.example.com"], out var list, out var problems));

        Assert.Null(list);
        Assert.Equal([1, 2], problems.Select(problem => problem.Index));
        Assert.Contains("write the network 10.0.0.0/8", problems[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("allowed target 'console.example.com'", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_keeps_the_entries_as_written_and_their_parse()
    {
        PolicyList<AllowedTarget> targets = [" 10.0.0.5:5900 ", "[fd00:20::]/48:5900"];

        Assert.Equal(["10.0.0.5:5900", "[fd00:20::]/48:5900"], targets);
        Assert.Equal(AllowedTarget.Parse("10.0.0.5/32:5900"), targets.Entries[0]);
        Assert.Equal("10.0.0.5:5900,[fd00:20::]/48:5900", targets.ToString());
        Assert.Equal(targets, PolicyList.Parse<AllowedTarget>(["10.0.0.5:5900", "[fd00:20::]/48:5900"]));
        Assert.Throws<FormatException>(() => PolicyList.Parse<AllowedTarget>(["10.0.0.0/33"]));
    }

    [Fact]
    public void The_contract_s_setting_parses_with_the_same_parser_and_writes_what_it_read()
    {
        var setting = ProxySettingsContract.AllowedOrigin;

        Assert.True(setting.TryParse("https://portal.example.com, dashboard.example.com:8443", out var origins, out _));
        Assert.Equal([new AllowedOrigin("https", "portal.example.com", 443), new AllowedOrigin(null, "dashboard.example.com", 8443)], origins.Entries);
        Assert.Equal("https://portal.example.com,dashboard.example.com:8443", setting.Format(origins));

        Assert.False(ProxySettingsContract.AllowedTarget.TryParse("10.0.0.0/8,10.0.0.0/33,[::1]:0", out _, out var error));
        Assert.Contains("'10.0.0.0/33'", error, StringComparison.Ordinal);
        Assert.Contains("'[::1]:0'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wide_network_is_judged_with_the_other_setting_not_by_the_parser()
    {
        PolicyList<AllowedTarget> targets = ["0.0.0.0/0:5900"];

        var refused = Assert.Throws<FormatException>(() => TargetPolicy.From(targets, allowWideNetworks: false));
        Assert.Contains("is wider than /8 (IPv4) or /32 (IPv6)", refused.Message, StringComparison.Ordinal);
        Assert.False(TargetPolicy.From(targets, allowWideNetworks: true).IsUnrestricted);
        Assert.Throws<FormatException>(() => TargetPolicy.From(PolicyList.Empty<AllowedTarget>(), allowWideNetworks: true));
    }

    [Theory]
    [InlineData("console.example.com", null, "console.example.com", null)]
    [InlineData("Console.Example.com:8443", null, "console.example.com", 8443)]
    [InlineData("[fd00::1]:8443", null, "fd00::1", 8443)]
    [InlineData("::1", null, "::1", null)]
    [InlineData("https://console.example.com:8443", "https", "console.example.com", 8443)]
    public void An_allowed_origin_is_a_full_origin_or_a_host_with_an_optional_port(string text, string? scheme, string host, int? port)
    {
        Assert.True(AllowedOrigin.TryParse(text, out var origin, out var error), error);
        Assert.Equal(new AllowedOrigin(scheme, host, port), origin);
    }

    [Theory]
    [InlineData("console.example.com:notaport")]
    [InlineData("console.example.com:0")]
    [InlineData("console.example.com:65536")]
    [InlineData("fd00::1:8443:x")]
    public void A_host_with_a_port_that_is_no_port_is_refused(string text) =>
        Assert.False(AllowedOrigin.TryParse(text, out _, out _));
}
