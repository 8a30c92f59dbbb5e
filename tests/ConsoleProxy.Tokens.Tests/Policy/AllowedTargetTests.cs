using System.Net;
using ConsoleProxy.Tokens.Policy;

namespace ConsoleProxy.Tokens.Tests.Policy;

public sealed class AllowedTargetTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8, 1, 65535)]
    [InlineData("10.0.0.0/8:5900", "10.0.0.0", 8, 5900, 5900)]
    [InlineData("10.0.0.0/8:5900-5999", "10.0.0.0", 8, 5900, 5999)]
    [InlineData("10.0.0.5", "10.0.0.5", 32, 1, 65535)]
    [InlineData("10.0.0.5:5900", "10.0.0.5", 32, 5900, 5900)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0, 1, 65535)]
    [InlineData("2001:db8::/32", "2001:db8::", 32, 1, 65535)]
    [InlineData("2001:db8::/32:5900-5999", "2001:db8::", 32, 5900, 5999)]
    [InlineData("[2001:db8::]/32:5900-5999", "2001:db8::", 32, 5900, 5999)]
    [InlineData("[::1]:5900", "::1", 128, 5900, 5900)]
    [InlineData("[::1]", "::1", 128, 1, 65535)]
    [InlineData("::1", "::1", 128, 1, 65535)]
    [InlineData("::/0", "::", 0, 1, 65535)]
    [InlineData("  192.168.1.0/24:1-65535  ", "192.168.1.0", 24, 1, 65535)]
    public void Parses_every_documented_form(string text, string network, int prefix, int firstPort, int lastPort)
    {
        var target = AllowedTarget.Parse(text);

        Assert.Equal(IPAddress.Parse(network), target.Network);
        Assert.Equal(prefix, target.PrefixLength);
        Assert.Equal(new PortRange(firstPort, lastPort), target.Ports);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.0.0.0/8:5900", "10.0.0.0/8:5900")]
    [InlineData("10.0.0.5", "10.0.0.5/32")]
    [InlineData("10.0.0.5:5900-5999", "10.0.0.5/32:5900-5999")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:db8::/32:5900-5999", "[2001:db8::]/32:5900-5999")]
    [InlineData("[::1]:5900", "[::1]/128:5900")]
    [InlineData("2001:DB8:0:0::/64", "2001:db8::/64")]
    [InlineData("::ffff:10.0.0.0/104:5900", "10.0.0.0/8:5900")]
    public void ToString_gives_the_canonical_form_which_parses_back_to_the_same_entry(string text, string canonical)
    {
        var target = AllowedTarget.Parse(text);

        Assert.Equal(canonical, target.ToString());
        Assert.Equal(target, AllowedTarget.Parse(target.ToString()));
        Assert.Equal(target.GetHashCode(), AllowedTarget.Parse(target.ToString()).GetHashCode());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("10.0.0.0/33", "prefix length '/33' is not a number from 0 to 32 (IPv4)")]
    [InlineData("2001:db8::/129", "from 0 to 128 (IPv6)")]
    [InlineData("10.0.0.0/", "prefix length '/'")]
    [InlineData("10.0.0.0/x", "prefix length '/x'")]
    [InlineData("10.0.0.0/8:0", "port '0' is not a port")]
    [InlineData("10.0.0.0/8:65536", "port '65536'")]
    [InlineData("10.0.0.0/8:", "port ''")]
    [InlineData("10.0.0.0/8:5999-5900", "runs backwards")]
    [InlineData("10.0.0.0/8:59x0", "port '59x0'")]
    [InlineData("10.0.0.5/8", "bits set beyond the /8 prefix; write the network 10.0.0.0/8")]
    [InlineData("2001:db8::1/32", "write the network 2001:db8::/32")]
    [InlineData("256.0.0.0/8", "'256.0.0.0' is not an IPv4 address")]
    [InlineData("10.1", "'10.1' is not an IPv4 address")]
    [InlineData("console.example.com:5900", "DNS names are not allowed")]
    [InlineData("[10.0.0.1]:5900", "only for IPv6")]
    [InlineData("[::1:5900", "no closing ']'")]
    [InlineData("[::1]5900", "expected '/PREFIX' or ':PORT' after ']'")]
    [InlineData("[2001:db8::zz]/32", "'2001:db8::zz' is not an IPv6 address")]
    [InlineData("fe80::1%eth0", "scope id")]
    [InlineData("::ffff:10.0.0.0/64", "needs a prefix of /96 or longer")]
    public void Refuses_bad_text_naming_the_part_that_is_wrong(string text, string reason)
    {
        Assert.False(AllowedTarget.TryParse(text, out var target, out var error));

        Assert.Null(target);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AllowedTarget.Parse(text));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.1", 5900, true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", 1, true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", 5900, false)]
    [InlineData("10.0.0.0/8", "9.255.255.255", 5900, false)]
    [InlineData("10.0.0.0/8:5900-5999", "10.1.2.3", 5900, true)]
    [InlineData("10.0.0.0/8:5900-5999", "10.1.2.3", 5999, true)]
    [InlineData("10.0.0.0/8:5900-5999", "10.1.2.3", 5899, false)]
    [InlineData("10.0.0.0/8:5900-5999", "10.1.2.3", 6000, false)]
    [InlineData("192.168.1.128/25", "192.168.1.128", 5900, true)]
    [InlineData("192.168.1.128/25", "192.168.1.127", 5900, false)]
    [InlineData("10.0.0.5:5900", "10.0.0.5", 5900, true)]
    [InlineData("10.0.0.5:5900", "10.0.0.6", 5900, false)]
    [InlineData("0.0.0.0/0:5900", "203.0.113.7", 5900, true)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", 5900, true)]
    [InlineData("10.0.0.0/8", "::ffff:11.0.0.1", 5900, false)]
    [InlineData("::ffff:10.0.0.0/104", "10.9.9.9", 5900, true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::5", 5901, true)]
    [InlineData("2001:db8::/32", "2001:db9::5", 5901, false)]
    [InlineData("2001:db8::/33", "2001:db8:8000::1", 5901, false)]
    [InlineData("2001:db8::/33", "2001:db8:7fff::1", 5901, true)]
    [InlineData("[::1]:5900", "::1", 5900, true)]
    [InlineData("[::1]:5900", "::1", 5901, false)]
    [InlineData("::/0", "10.0.0.1", 5900, false)]
    [InlineData("0.0.0.0/0", "::1", 5900, false)]
    public void Allows_only_addresses_in_the_network_on_the_listed_ports(string entry, string address, int port, bool allowed) =>
        Assert.Equal(allowed, AllowedTarget.Parse(entry).Allows(IPAddress.Parse(address), port));

    [Fact]
    public void A_bare_IPv6_address_never_takes_a_port()
    {
        // "::1:5900" is the address 0:...:1:5900 (all ports), not ::1 on port 5900: brackets add a port.
        var target = AllowedTarget.Parse("::1:5900");

        Assert.Equal(IPAddress.Parse("::1:5900"), target.Network);
        Assert.True(target.Ports.IsAll);
        Assert.False(target.Allows(IPAddress.IPv6Loopback, 5900));
    }
}
