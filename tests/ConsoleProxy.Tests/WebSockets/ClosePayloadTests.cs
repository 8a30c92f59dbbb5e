using System.Net.WebSockets;
using System.Text;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

public sealed class ClosePayloadTests
{
    [Fact]
    public void An_empty_body_has_no_status()
    {
        Assert.Equal((null, null), ClosePayload.Parse([]));
    }

    [Fact]
    public void Code_and_reason_are_read()
    {
        var (status, reason) = ClosePayload.Parse([0x0F, 0xA1, .. "bye"u8]);

        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal("bye", reason);
    }

    [Theory]
    [InlineData(new byte[] { 0x03 }, WebSocketCloseStatus.ProtocolError)]
    [InlineData(new byte[] { 0x03, 0xED }, WebSocketCloseStatus.ProtocolError)] // 1005 is never sent
    [InlineData(new byte[] { 0x03, 0xEE }, WebSocketCloseStatus.ProtocolError)] // 1006 neither
    [InlineData(new byte[] { 0x03, 0xE7 }, WebSocketCloseStatus.ProtocolError)] // 999
    [InlineData(new byte[] { 0x13, 0x88 }, WebSocketCloseStatus.ProtocolError)] // 5000
    [InlineData(new byte[] { 0x03, 0xE8, 0xC3, 0x28 }, WebSocketCloseStatus.InvalidPayloadData)]
    public void Bad_bodies_are_protocol_violations(byte[] body, WebSocketCloseStatus expected)
    {
        Assert.Equal(expected, Assert.Throws<WebSocketProtocolException>(() => ClosePayload.Parse(body)).Status);
    }

    [Fact]
    public void A_long_reason_is_cut_to_fit_a_control_frame_without_splitting_a_character()
    {
        var body = new byte[125];
        var reason = string.Concat(Enumerable.Repeat("é😀", 40));

        var length = ClosePayload.Write(body, WebSocketCloseStatus.NormalClosure, reason);

        Assert.InRange(length, 2, 125);
        var (status, text) = ClosePayload.Parse(body.AsSpan(0, length));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.StartsWith(text!, reason, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(text!) > 110, "the reason was cut more than needed");
    }
}
