using System.Buffers;
using System.Net.WebSockets;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

public sealed class ClientFrameHeaderTests
{
    [Theory]
    [InlineData(0, 6)]
    [InlineData(125, 6)]
    [InlineData(126, 8)]
    [InlineData(65535, 8)]
    [InlineData(65536, 14)]
    public void Every_length_encoding_is_read_with_its_mask_key(int payloadLength, int headerLength)
    {
        byte[] key = [0x11, 0x22, 0x33, 0x44];
        var frame = ClientFrames.Frame(WebSocketOpcode.Binary, new byte[payloadLength], final: false, maskKey: key);

        Assert.True(ClientFrameHeader.TryRead(new ReadOnlySequence<byte>(frame), out var header));

        Assert.Equal(new ClientFrameHeader(false, WebSocketOpcode.Binary, payloadLength, 0x44332211u, headerLength), header);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(300)]
    [InlineData(70_000)]
    public void A_header_cut_anywhere_asks_for_more_bytes(int payloadLength)
    {
        var frame = ClientFrames.Frame(WebSocketOpcode.Binary, new byte[payloadLength]);
        Assert.True(ClientFrameHeader.TryRead(new ReadOnlySequence<byte>(frame), out var whole));

        for (var cut = 0; cut < whole.Length; cut++)
        {
            Assert.False(ClientFrameHeader.TryRead(new ReadOnlySequence<byte>(frame, 0, cut), out _), $"a header of {whole.Length} bytes was read from {cut}");
        }
    }

    [Fact]
    public void A_header_split_across_segments_is_read()
    {
        var frame = ClientFrames.Frame(WebSocketOpcode.Binary, new byte[70_000]);
        var sequence = Segments.Split(frame.AsMemory(0, 14), 1, 3, 7);

        Assert.True(ClientFrameHeader.TryRead(sequence, out var header));
        Assert.Equal(70_000, header.PayloadLength);
        Assert.Equal(14, header.Length);
    }

    [Theory]
    [InlineData("reserved bit", new byte[] { 0xC2, 0x80, 0, 0, 0, 0 })]
    [InlineData("unknown data opcode", new byte[] { 0x83, 0x80, 0, 0, 0, 0 })]
    [InlineData("unknown control opcode", new byte[] { 0x8B, 0x80, 0, 0, 0, 0 })]
    [InlineData("unmasked", new byte[] { 0x82, 0x01, 0x41 })]
    [InlineData("control frame over 125 bytes", new byte[] { 0x89, 0xFE, 0x00, 0x7E, 0, 0, 0, 0 })]
    [InlineData("fragmented control frame", new byte[] { 0x09, 0x80, 0, 0, 0, 0 })]
    [InlineData("64-bit length with its top bit set", new byte[] { 0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Protocol_violations_are_refused_with_1002(string what, byte[] frame)
    {
        var error = Assert.Throws<WebSocketProtocolException>(() => ClientFrameHeader.TryRead(new ReadOnlySequence<byte>(frame), out _));

        Assert.True(error.Status == WebSocketCloseStatus.ProtocolError, what);
    }
}
