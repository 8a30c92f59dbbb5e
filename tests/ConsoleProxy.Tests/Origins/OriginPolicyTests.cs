using ConsoleProxy.Origins;
using ConsoleProxy.Tokens.Policy;
using Microsoft.AspNetCore.Http;

namespace ConsoleProxy.Tests.Origins;

public sealed class OriginPolicyTests
{
    [Theory]
    [InlineData(null, "console.example.com", null, true)]
    [InlineData("https://console.example.com", "console.example.com", "https", true)]
    [InlineData("http://console.example.com", "console.example.com", null, true)]
    [InlineData("https://console.example.com", "console.example.com", null, false)]
    [InlineData("http://console.example.com", "console.example.com", "https", false)]
    [InlineData("https://console.example.com", "console.example.com:8443", "https", true)]
    [InlineData("https://evil.example.com", "console.example.com", "https", false)]
    [InlineData("http://[::1]:6080", "[::1]:6080", null, true)]
    [InlineData("null", "console.example.com", null, false)]
    [InlineData("https://console.example.com", "console.example.com", "wss", true)]
    [InlineData("https://console.example.com", "console.example.com", "https, http", true)]
    public void The_origin_must_name_this_host_with_the_scheme_the_browser_used(string? origin, string host, string? forwardedProto, bool allowed)
    {
        var policy = new OriginPolicy([]);

        Assert.Equal(allowed, policy.Check(Request(origin, host, forwardedProto)) is null);
    }

    [Theory]
    [InlineData("https://console.example.com", "console.example.com", "https", true)]
    [InlineData("https://console.example.com:8443", "console.example.com:8443", "https", true)]
    [InlineData("https://console.example.com", "console.example.com:8443", "https", false)]
    [InlineData("http://127.0.0.1:9999", "127.0.0.1:6080", null, false)]
    [InlineData("http://127.0.0.1:6080", "127.0.0.1:6080", null, true)]
    public void The_strict_check_compares_the_port_of_the_request_s_own_host_too(string origin, string host, string? forwardedProto, bool allowed)
    {
        var lenient = new OriginPolicy([]);
        var strict = new OriginPolicy([], strictPort: true);

        Assert.Null(lenient.Check(Request(origin, host, forwardedProto)));
        Assert.Equal(allowed, strict.Check(Request(origin, host, forwardedProto)) is null);
    }

    [Fact]
    public void A_host_name_entry_allows_that_host_with_a_matching_scheme()
    {
        Assert.True(AllowedOrigin.TryParse("portal.example.com", out var entry, out _));
        var policy = new OriginPolicy([entry]);

        Assert.Null(policy.Check(Request("http://portal.example.com", "console.example.com", null)));
        Assert.NotNull(policy.Check(Request("https://portal.example.com", "console.example.com", null)));
    }

    [Fact]
    public void A_full_origin_entry_matches_scheme_host_and_port_exactly()
    {
        Assert.True(AllowedOrigin.TryParse("https://portal.example.com:8443", out var entry, out _));
        var policy = new OriginPolicy([entry]);

        Assert.Null(policy.Check(Request("https://portal.example.com:8443", "console.internal", null)));
        Assert.NotNull(policy.Check(Request("https://portal.example.com", "console.internal", null)));
        Assert.NotNull(policy.Check(Request("http://portal.example.com:8443", "console.internal", null)));
    }

    [Theory]
    [InlineData("https://portal.example.com:8443", true)]
    [InlineData("https://portal.example.com", false)]
    [InlineData("https://portal.example.com:9443", false)]
    public void A_host_entry_with_a_port_admits_only_that_port(string origin, bool allowed)
    {
        Assert.True(AllowedOrigin.TryParse("portal.example.com:8443", out var entry, out _));
        var policy = new OriginPolicy([entry]);

        Assert.Equal(allowed, policy.Check(Request(origin, "console.internal", "https")) is null);
    }

    [Theory]
    [InlineData("https://portal.example.com/path")]
    [InlineData("ftp://portal.example.com")]
    [InlineData("not a host")]
    [InlineData("")]
    public void Malformed_allowed_origins_are_refused(string text) =>
        Assert.False(AllowedOrigin.TryParse(text, out _, out _));

    private static HttpRequest Request(string? origin, string host, string? forwardedProto)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (forwardedProto is not null)
        {
            context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
        }

        return context.Request;
    }
}
