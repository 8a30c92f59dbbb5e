using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using ConsoleProxy.Tokens.Urls;

namespace ConsoleProxy.Tokens.Tests.Kinds;

public sealed class ConsoleKindTests
{
    private const string Token = "k3Jx_9-abcDEFghiJKLmnoPQRstuVWXyz0123456789";

    private static readonly TokenRecord Serial = new(
        ConsoleTarget.Parse("10.0.0.5:7000"),
        DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123),
        TokenFlags.ViewOnly,
        "tenant-a/serial-1",
        "vm-42",
        Kind: ConsoleKind.Serial);

    [Fact]
    public void A_serial_record_is_stored_with_its_kind_and_reads_back_as_serial()
    {
        var fields = TokenKeySchema.ToFields(Serial).ToDictionary(field => field.Key, field => field.Value);

        Assert.Equal("serial", fields["kind"]);
        Assert.True(TokenKeySchema.TryReadFields(fields, out var record, out var reason), reason);
        Assert.Equal(Serial, record);
        Assert.Equal(ConsoleKind.Serial, record.Kind);
    }

    [Fact]
    public void A_VNC_record_has_no_kind_field_so_it_is_what_readers_before_kinds_understand()
    {
        var fields = TokenKeySchema.ToFields(Serial with { Kind = ConsoleKind.Vnc }).ToDictionary(field => field.Key, field => field.Value);

        Assert.DoesNotContain("kind", fields.Keys);
    }

    [Fact]
    public void A_record_without_a_kind_reads_as_VNC()
    {
        var fields = TokenKeySchema.ToFields(Serial).ToDictionary(field => field.Key, field => field.Value);
        fields.Remove("kind");

        Assert.True(TokenKeySchema.TryReadFields(fields, out var record, out _));
        Assert.Equal(ConsoleKind.Vnc, record.Kind);
    }

    [Theory]
    [InlineData("rdp")]
    [InlineData("Serial")]
    [InlineData("")]
    public void A_record_of_an_unknown_kind_authorizes_nothing(string kind)
    {
        var fields = TokenKeySchema.ToFields(Serial).ToDictionary(field => field.Key, field => field.Value);
        fields["kind"] = kind;

        Assert.False(TokenKeySchema.TryReadFields(fields, out var record, out var reason));
        Assert.Null(record);
        Assert.Contains("kind", reason, StringComparison.Ordinal);
        Assert.Contains("vnc, serial, spice", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://console.example.com/", "https://console.example.com/serial.html?path=websockify%3Ftoken%3D" + Token)]
    [InlineData("https://h/console/", "https://h/console/serial.html?path=console%2Fwebsockify%3Ftoken%3D" + Token)]
    [InlineData("http://127.0.0.1:6080/vnc_auto.html", "http://127.0.0.1:6080/serial.html?path=websockify%3Ftoken%3D" + Token)]
    public void A_serial_token_opens_the_terminal_page_beside_the_VNC_pages(string baseUrl, string expected) =>
        Assert.Equal(expected, AccessUrl.Build(baseUrl, Token, ConsoleKind.Serial));

    [Fact]
    public void A_serial_URL_leads_to_the_same_WebSocket_as_a_VNC_URL()
    {
        Assert.True(ConsoleWebSocketAddress.TryParse(AccessUrl.Build("https://h/console/", Token, ConsoleKind.Serial), out var serial, out _));
        Assert.True(ConsoleWebSocketAddress.TryParse(AccessUrl.Build("https://h/console/", Token), out var vnc, out _));

        Assert.Equal(vnc, serial);
    }

    [Theory]
    [InlineData("https://h/", "https://h/spice.html?path=websockify%3Ftoken%3D")]
    [InlineData("https://h/console/vnc_auto.html", "https://h/console/spice.html?path=console%2Fwebsockify%3Ftoken%3D")]
    public void A_SPICE_token_opens_the_spice_page_in_the_base_URL_folder(string baseUrl, string expectedPrefix)
    {
        var url = AccessUrl.Build(baseUrl, Token, ConsoleKind.Spice);

        Assert.StartsWith(expectedPrefix, url, StringComparison.Ordinal);
        Assert.True(ConsoleWebSocketAddress.TryParse(url, out var spice, out _));
        Assert.True(ConsoleWebSocketAddress.TryParse(AccessUrl.Build(baseUrl, Token), out var vnc, out _));
        Assert.Equal(vnc, spice);
    }

    [Theory]
    [InlineData(new[] { "vnc" }, new[] { ConsoleKind.Vnc })]
    [InlineData(new[] { "vnc,serial" }, new[] { ConsoleKind.Vnc, ConsoleKind.Serial })]
    [InlineData(new[] { "serial", " vnc " }, new[] { ConsoleKind.Serial, ConsoleKind.Vnc })]
    public void Kind_lists_read_comma_separated_and_repeated(string[] values, ConsoleKind[] expected)
    {
        Assert.True(ConsoleKindNames.TryParseList(values, out var kinds, out var error), error);
        Assert.Equal(expected.ToHashSet(), kinds.ToHashSet());
    }

    [Theory]
    [InlineData(new[] { "vnc,rdp" }, "'rdp' is not a console kind")]
    [InlineData(new[] { "vnc", "vnc" }, "'vnc' is named twice")]
    [InlineData(new[] { "," }, "no console kind given")]
    public void Bad_kind_lists_say_what_is_wrong(string[] values, string expected)
    {
        Assert.False(ConsoleKindNames.TryParseList(values, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
