using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Targets;

public sealed class ConsoleTargetTests
{
    [Theory]
    [InlineData("10.0.0.5:5901", "10.0.0.5", 5901)]
    [InlineData("compute-1.example.com:5900", "compute-1.example.com", 5900)]
    [InlineData("[2001:db8::5]:5901", "2001:db8::5", 5901)]
    [InlineData("[::1]:5900", "::1", 5900)]
    [InlineData(" localhost:65535 ", "localhost", 65535)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        var target = ConsoleTarget.Parse(text);

        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
    }

    [Theory]
    [InlineData("10.0.0.5:5901")]
    [InlineData("[2001:db8::5]:5901")]
    [InlineData("vnc.example:1")]
    public void Text_form_round_trips(string text) => Assert.Equal(text, ConsoleTarget.Parse(text).ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10.0.0.5", "no port")]
    [InlineData("2001:db8::5:5901", "[ADDRESS]:PORT")]
    [InlineData("[2001:db8::5]5901", "not [IPV6]:PORT")]
    [InlineData("[10.0.0.5]:5901", "not an IPv6 address")]
    [InlineData("10.0.0.5:0", "expected 1-65535")]
    [InlineData("10.0.0.5:65536", "expected 1-65535")]
    [InlineData("10.0.0.5:-1", "expected 1-65535")]
    [InlineData("bad host!:5900", "neither an IP address nor a DNS name")]
    public void Refuses_malformed_text_with_a_reason(string text, string reason)
    {
        Assert.False(ConsoleTarget.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Brackets_given_to_the_constructor_are_dropped()
    {
        var target = new ConsoleTarget("[::1]", 5900);

        Assert.Equal("::1", target.Host);
        Assert.True(target.IsIPv6);
        Assert.Equal("[::1]:5900", target.ToString());
    }
}
