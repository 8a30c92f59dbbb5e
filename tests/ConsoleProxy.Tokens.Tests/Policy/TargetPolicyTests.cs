using System.Net;
using ConsoleProxy.Tokens.Policy;

namespace ConsoleProxy.Tokens.Tests.Policy;

public sealed class TargetPolicyTests
{
    [Fact]
    public void Unrestricted_allows_every_address_and_port()
    {
        var policy = TargetPolicy.Unrestricted;

        Assert.True(policy.IsUnrestricted);
        Assert.Empty(policy.Entries);
        Assert.True(policy.Allows(IPAddress.Parse("203.0.113.9"), 22));
        Assert.True(policy.Allows(IPAddress.IPv6Loopback, 5900));
        Assert.Equal("unrestricted", policy.ToString());
    }

    [Fact]
    public void A_parsed_policy_allows_a_target_matched_by_any_entry_and_nothing_else()
    {
        var policy = TargetPolicy.Parse(["10.0.0.0/8:5900-5999", "[2001:db8::]/32:5901", "192.168.7.7"]);

        Assert.False(policy.IsUnrestricted);
        Assert.Equal(3, policy.Entries.Count);
        Assert.True(policy.Allows(IPAddress.Parse("10.20.30.40"), 5950));
        Assert.True(policy.Allows(IPAddress.Parse("2001:db8::5"), 5901));
        Assert.True(policy.Allows(IPAddress.Parse("192.168.7.7"), 22));
        Assert.False(policy.Allows(IPAddress.Parse("10.20.30.40"), 22));
        Assert.False(policy.Allows(IPAddress.Parse("2001:db8::5"), 5900));
        Assert.False(policy.Allows(IPAddress.Parse("192.168.7.8"), 5900));
        Assert.False(policy.Allows(IPAddress.Parse("169.254.169.254"), 80));
    }

    [Fact]
    public void ToString_lists_the_canonical_entries()
    {
        var policy = TargetPolicy.Parse(["10.0.0.0/8:5900-5999", "::1"]);

        Assert.Equal("10.0.0.0/8:5900-5999, ::1/128", policy.ToString());
    }

    [Fact]
    public void Parse_names_every_bad_entry_in_one_FormatException()
    {
        var error = Assert.Throws<FormatException>(
            () => TargetPolicy.Parse(["10.0.0.0/8", "10.0.0.0/33", "console.example.com", "[::1]:0"]));

        Assert.Contains("'10.0.0.0/33'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'console.example.com'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'[::1]:0'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'10.0.0.0/8'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_list_is_refused_so_that_no_restriction_is_never_an_accident()
    {
        Assert.Throws<FormatException>(() => TargetPolicy.Parse([]));
        Assert.Throws<ArgumentException>(() => TargetPolicy.Of([]));
    }

    [Fact]
    public void Of_builds_a_policy_from_parsed_entries()
    {
        var policy = TargetPolicy.Of([AllowedTarget.Parse("127.0.0.0/8:5900")]);

        Assert.True(policy.Allows(IPAddress.Loopback, 5900));
        Assert.False(policy.Allows(IPAddress.Loopback, 5901));
    }
}
