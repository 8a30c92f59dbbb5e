using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using ConsoleProxy.Tokens.Urls;

namespace ConsoleProxy.Tokens.Tests.Store;

public sealed class ScreenshotOnlyRecordTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_screenshot_only_record_is_stored_as_a_kind_of_its_own_and_reads_back_screenshot_only()
    {
        var issued = IssuedToken.Mint(Now, TimeSpan.FromMinutes(10));
        var record = issued.RecordFor(ConsoleTarget.Parse("10.0.0.5:5901"), TokenFlags.None, ConsoleKind.Vnc, screenshotOnly: true);

        var fields = TokenKeySchema.ToFields(record).ToDictionary(field => field.Key, field => field.Value);

        Assert.Equal("vnc-screenshot", fields[TokenRecordFields.Kind]);
        Assert.DoesNotContain(fields.Keys, name => name.Contains("screenshot", StringComparison.Ordinal));
        Assert.True(TokenKeySchema.TryReadFields(fields, out var read, out var reason), reason);
        Assert.True(read.IsScreenshotOnly);
        Assert.Equal(ConsoleKind.Vnc, read.Kind);
        Assert.Equal(record, read);
    }

    [Fact]
    public void A_proxy_from_before_screenshot_only_tokens_cannot_read_the_kind_so_the_record_authorizes_nothing_there()
    {
        // What an older reader does with the kind field: parse it as one of vnc, serial, spice, and refuse the record if it is none.
        Assert.False(ConsoleKindNames.TryParse(TokenRecordFields.ScreenshotKind, out _, out var error));
        Assert.Contains("not a console kind", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_console_record_is_not_screenshot_only()
    {
        var record = IssuedToken.Mint(Now, TimeSpan.FromMinutes(10)).RecordFor(ConsoleTarget.Parse("10.0.0.5:5901"), TokenFlags.None, ConsoleKind.Vnc);
        var fields = TokenKeySchema.ToFields(record).ToDictionary(field => field.Key, field => field.Value);

        Assert.False(fields.ContainsKey(TokenRecordFields.Kind));
        Assert.True(TokenKeySchema.TryReadFields(fields, out var read, out _));
        Assert.False(read.IsScreenshotOnly);
    }

    [Fact]
    public void Only_a_VNC_record_can_be_screenshot_only()
    {
        var record = IssuedToken.Mint(Now, TimeSpan.FromMinutes(10)).RecordFor(ConsoleTarget.Parse("10.0.0.5:5901"), TokenFlags.None, ConsoleKind.Serial, screenshotOnly: true);

        var error = Assert.Throws<ArgumentException>(() => TokenKeySchema.ToFields(record));
        Assert.Contains("kind vnc", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://console.example.com", "https://console.example.com/screenshot?token=")]
    [InlineData("https://console.example.com/console/", "https://console.example.com/console/screenshot?token=")]
    [InlineData("http://127.0.0.1:6080/vnc_auto.html", "http://127.0.0.1:6080/screenshot?token=")]
    [InlineData("https://h.example/nova/vnc_lite.html", "https://h.example/nova/screenshot?token=")]
    public void The_URL_of_a_screenshot_only_token_is_the_image_URL_in_the_folder_of_the_pages(string baseUrl, string expectedPrefix)
    {
        var issued = IssuedToken.Mint(Now, TimeSpan.FromMinutes(10));

        var url = issued.UrlAt(baseUrl, ConsoleKind.Vnc, screenshotOnly: true);

        Assert.Equal(expectedPrefix + Uri.EscapeDataString(issued.Token), url);
        Assert.StartsWith(AccessUrl.Build(baseUrl, issued.Token)[..expectedPrefix.IndexOf("/screenshot", StringComparison.Ordinal)], url, StringComparison.Ordinal);
    }
}
