using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

public sealed class ServerFrameHeaderTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x82, 0 })]
    [InlineData(125, new byte[] { 0x82, 125 })]
    [InlineData(126, new byte[] { 0x82, 126, 0, 126 })]
    [InlineData(65535, new byte[] { 0x82, 126, 0xFF, 0xFF })]
    [InlineData(65536, new byte[] { 0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0 })]
    public void Final_unmasked_headers_use_the_shortest_length_encoding(long payloadLength, byte[] expected)
    {
        var header = new byte[ServerFrameHeader.MaxLength];

        var length = ServerFrameHeader.Write(header, WebSocketOpcode.Binary, payloadLength);

        Assert.Equal(expected, header[..length]);
        Assert.Equal(length, ServerFrameHeader.LengthFor(payloadLength));
    }

    [Fact]
    public void Control_frames_carry_their_opcode()
    {
        var header = new byte[2];

        ServerFrameHeader.Write(header, WebSocketOpcode.Ping, 0);

        Assert.Equal(new byte[] { 0x89, 0 }, header);
    }
}
