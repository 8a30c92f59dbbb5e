using ConsoleProxy.Tokens.Import;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Tokens.Tests.Import;

public sealed class WebsockifyTokenFileTests
{
    private const string TokenA = "0b8e3a52-6f1d-4d58-9d3e-7f2d1c9a4e61";
    private const string TokenB = "k3Jx_9-abcDEFghiJKLmnoPQRstuVWXyz012345678";
    private const string TokenC = "c7f9f1f0a3b84e1e9d2b5a6c8e0f1a2b";

    [Fact]
    public void Reads_token_lines_skipping_comments_and_blank_lines()
    {
        var file = WebsockifyTokenFile.Parse($"""
            # websockify TokenFile
            {TokenA}: 10.0.0.5:5901

               # indented comment
            {TokenB}: [2001:db8::5]:5900
            {TokenC}:   compute-1.example.com:5902
            """);

        Assert.Empty(file.Errors);
        Assert.Collection(
            file.Entries,
            entry =>
            {
                Assert.Equal(2, entry.LineNumber);
                Assert.Equal(TokenA, entry.Token);
                Assert.Equal("10.0.0.5:5901", entry.Target.ToString());
            },
            entry =>
            {
                Assert.Equal(5, entry.LineNumber);
                Assert.Equal("2001:db8::5", entry.Target.Host);
                Assert.Equal(5900, entry.Target.Port);
            },
            entry =>
            {
                Assert.Equal(6, entry.LineNumber);
                Assert.Equal("compute-1.example.com:5902", entry.Target.ToString());
            });
    }

    [Theory]
    [InlineData(TokenA + " : 10.0.0.5:5901")]
    [InlineData(TokenA + " :10.0.0.5:5901")]
    [InlineData(TokenA + ":\t10.0.0.5:5901")]
    [InlineData("  " + TokenA + ":  10.0.0.5:5901  ")]
    [InlineData("\uFEFF" + TokenA + ": 10.0.0.5:5901")]
    public void Accepts_white_space_around_the_separator(string line)
    {
        var file = WebsockifyTokenFile.Parse(line);

        Assert.Empty(file.Errors);
        var entry = Assert.Single(file.Entries);
        Assert.Equal(TokenA, entry.Token);
        Assert.Equal("10.0.0.5:5901", entry.Target.ToString());
    }

    [Fact]
    public void A_bare_IPv6_target_is_read_as_websockify_reads_it_with_the_port_after_the_last_colon()
    {
        var entry = Assert.Single(WebsockifyTokenFile.Parse($"{TokenA}: 2001:db8::5:5901").Entries);

        Assert.Equal("[2001:db8::5]:5901", entry.Target.ToString());
    }

    [Theory]
    [InlineData("shorttoken: 10.0.0.5:5900", "10 characters; at least 20 are required")]
    [InlineData(TokenA + ":10.0.0.5:5900", "expected 'TOKEN: HOST:PORT'")]
    [InlineData(": 10.0.0.5:5900", "expected 'TOKEN: HOST:PORT'")]
    [InlineData(TokenA + ": 10.0.0.5", "no port")]
    [InlineData(TokenA + ": 10.0.0.5:99999", "expected 1-65535")]
    [InlineData(TokenA + ": ", "empty")]
    [InlineData(TokenA + ": bad host!:5900", "neither an IP address nor a DNS name")]
    public void Refuses_a_bad_line_with_its_number_and_reason_but_never_the_token(string line, string reason)
    {
        var file = WebsockifyTokenFile.Parse($"# header\n{line}\n{TokenB}: 10.0.0.6:5900\n");

        var error = Assert.Single(file.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenA, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("shorttoken", error.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("line 2: ", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(TokenB, Assert.Single(file.Entries).Token);
    }

    [Fact]
    public void A_token_given_twice_is_refused_on_the_later_line()
    {
        var file = WebsockifyTokenFile.Parse($"{TokenA}: 10.0.0.5:5900\n{TokenA}: 10.0.0.6:5900\n");

        Assert.Equal("10.0.0.5:5900", Assert.Single(file.Entries).Target.ToString());
        var error = Assert.Single(file.Errors);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("already on line 1", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_prints_without_its_token_and_hashes_it()
    {
        var entry = Assert.Single(WebsockifyTokenFile.Parse($"{TokenA}: 10.0.0.5:5900").Entries);

        Assert.Equal("line 1: 10.0.0.5:5900", entry.ToString());
        Assert.Equal(TokenHash.Of(TokenA), entry.Hash);
    }

    [Fact]
    public async Task ReadAsync_streams_the_same_result_as_Parse()
    {
        var text = $"{TokenA}: 10.0.0.5:5900\r\nshort: 10.0.0.5:5900\r\n{TokenB}: [::1]:5901\r\n";
        using var reader = new StringReader(text);

        var streamed = await WebsockifyTokenFile.ReadAsync(reader, CancellationToken.None);
        var parsed = WebsockifyTokenFile.Parse(text);

        Assert.Equal(parsed.Entries, streamed.Entries);
        Assert.Equal(parsed.Errors, streamed.Errors);
        Assert.Equal(2, streamed.Entries.Count);
        Assert.Equal(2, Assert.Single(streamed.Errors).LineNumber);
    }
}
