using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Tokens.Tests.Minting;

public sealed class AccessTokenTests
{
    [Fact]
    public void Mint_gives_43_base64url_characters_without_padding()
    {
        var token = AccessToken.Mint();

        Assert.Equal(AccessToken.TextLength, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
    }

    [Fact]
    public void Mint_never_repeats_in_ten_thousand_draws()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(seen.Add(AccessToken.Mint()));
        }
    }

    [Fact]
    public void Hash_is_lowercase_hex_sha256_of_the_utf8_text()
    {
        // sha256("abc"), from FIPS 180-2 appendix B.1.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenHash.Of("abc").Hex);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void FromHex_refuses_anything_but_64_lowercase_hex(string? text) => Assert.Null(TokenHash.FromHex(text));

    [Fact]
    public void FromHex_round_trips_a_hash()
    {
        var hash = TokenHash.Of(AccessToken.Mint());

        Assert.Equal(hash, TokenHash.FromHex(hash.Hex));
        Assert.Equal(hash.Hex[..12], hash.ShortForm);
    }
}
