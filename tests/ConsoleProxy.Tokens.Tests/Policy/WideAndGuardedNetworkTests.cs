using System.Net;
using ConsoleProxy.Tokens.Policy;

namespace ConsoleProxy.Tokens.Tests.Policy;

/// <summary>
/// A policy is never an open relay by accident: entries wider than /8 (IPv4) or /32 (IPv6) need an explicit opt-in,
/// and loopback and link-local (the proxy pod itself, cloud metadata services) are reachable only when named exactly.
/// </summary>
public sealed class WideAndGuardedNetworkTests
{
    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("10.0.0.0/7:5900-5999")]
    [InlineData("[2001:db8::]/31:5900")]
    public void A_wide_entry_is_refused_with_the_opt_in_named(string entry)
    {
        var error = Assert.Throws<FormatException>(() => TargetPolicy.Parse(["10.1.0.0/16", entry]));

        Assert.Contains($"'{AllowedTarget.Parse(entry)}' is wider than /8 (IPv4) or /32 (IPv6)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-wide-target-networks", error.Message, StringComparison.Ordinal);
        Assert.Contains("spec.tokens.allowWideTargetNetworks", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("10.1.0.0/16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8", false)]
    [InlineData("[2001:db8::]/32:5900", false)]
    [InlineData("10.0.0.0/7", true)]
    [InlineData("::/0", true)]
    public void IsWide_starts_below_the_bounds(string entry, bool wide) =>
        Assert.Equal(wide, AllowedTarget.Parse(entry).IsWide);

    [Fact]
    public void With_the_opt_in_a_wide_network_allows_what_it_covers()
    {
        var policy = TargetPolicy.Parse(["0.0.0.0/0:5900-5999", "::/0:5900-5999"], allowWideNetworks: true);

        Assert.True(policy.Allows(IPAddress.Parse("203.0.113.7"), 5900));
        Assert.True(policy.Allows(IPAddress.Parse("2001:db8::7"), 5999));
        Assert.False(policy.Allows(IPAddress.Parse("203.0.113.7"), 22));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    public void A_wide_network_never_covers_loopback_or_link_local(string address)
    {
        var policy = TargetPolicy.Parse(["0.0.0.0/0", "::/0", "169.0.0.0/8", "127.0.0.0/8:1-10"], allowWideNetworks: true);

        Assert.False(policy.Allows(IPAddress.Parse(address), 80));
    }

    [Theory]
    [InlineData("169.254.169.254/32:80", "169.254.169.254", 80)]
    [InlineData("127.0.0.1:5901", "127.0.0.1", 5901)]
    [InlineData("127.0.0.0/8", "127.0.0.5", 5900)]
    [InlineData("[::1]:5901", "::1", 5901)]
    [InlineData("fe80::/64", "fe80::1", 5900)]
    [InlineData("127.0.0.1:5901", "::ffff:127.0.0.1", 5901)]
    public void A_guarded_address_is_allowed_when_an_entry_names_it_inside_its_network(string entry, string address, int port)
    {
        var policy = TargetPolicy.Parse(["0.0.0.0/0", entry], allowWideNetworks: true);

        Assert.True(policy.Allows(IPAddress.Parse(address), port));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.5/32", true)]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/16", "10.0.0.0/8", false)]
    [InlineData("10.0.0.0/8", "11.0.0.0/8", false)]
    [InlineData("127.0.0.0/8", "::1", false)]
    public void Covers_is_containment_of_networks(string outer, string inner, bool covers) =>
        Assert.Equal(covers, AllowedTarget.Parse(outer).Covers(AllowedTarget.Parse(inner)));
}
