using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using ConsoleProxy.Tokens.Urls;

namespace ConsoleProxy.Tokens.Tests.Minting;

/// <summary>The one place tokens are minted, for the operator and `consoleproxy token create`.</summary>
public sealed class IssuedTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 30, 15, TimeSpan.Zero);

    [Fact]
    public void The_expiry_is_rounded_down_to_the_whole_second_in_UTC()
    {
        var now = Now.AddTicks(7_654_321).ToOffset(TimeSpan.FromHours(2));

        var issued = IssuedToken.Mint(now, TimeSpan.FromMinutes(10));

        Assert.Equal(Now.AddMinutes(10), issued.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, issued.ExpiresAt.Offset);
        Assert.Equal(issued.ExpiresAt, IssuedToken.ExpiryAfter(now, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void The_hash_is_the_token_s_and_the_text_never_shows_the_token()
    {
        var issued = IssuedToken.Mint(Now, TimeSpan.FromMinutes(1));

        Assert.Equal(TokenHash.Of(issued.Token), issued.Hash);
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
        Assert.Contains(issued.Hash.ShortForm, issued.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(issued.Token, IssuedToken.Mint(Now, TimeSpan.FromMinutes(1)).Token);
    }

    [Fact]
    public void A_lifetime_of_zero_or_less_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IssuedToken.Mint(Now, TimeSpan.Zero));
    }

    [Fact]
    public void The_record_states_the_issued_expiry_flags_kind_and_a_positive_session_limit_only()
    {
        var issued = IssuedToken.Mint(Now, TimeSpan.FromMinutes(5));
        var target = new ConsoleTarget("10.0.0.5", 7000);

        var record = issued.RecordFor(target, IssuedToken.Flags(singleUse: true, viewOnly: true), ConsoleKind.Serial, 3);

        Assert.Equal(new TokenRecord(target, Now.AddMinutes(5), TokenFlags.SingleUse | TokenFlags.ViewOnly, Kind: ConsoleKind.Serial) { MaxSessions = 3 }, record);
        Assert.Null(issued.RecordFor(target, TokenFlags.None, ConsoleKind.Vnc, 0).MaxSessions);
        Assert.Null(issued.RecordFor(target, TokenFlags.None, ConsoleKind.Vnc).MaxSessions);
        Assert.Equal(TokenFlags.None, IssuedToken.Flags(singleUse: false, viewOnly: false));
    }

    [Fact]
    public void The_URL_carries_the_token_to_the_page_of_its_kind()
    {
        var issued = IssuedToken.Mint(Now, TimeSpan.FromMinutes(5));

        Assert.Equal(AccessUrl.Build("https://console.example.com", issued.Token, ConsoleKind.Serial), issued.UrlAt("https://console.example.com", ConsoleKind.Serial));
        Assert.Equal(issued, IssuedToken.Of(issued.Token, issued.ExpiresAt.ToOffset(TimeSpan.FromHours(-5))));
    }
}
