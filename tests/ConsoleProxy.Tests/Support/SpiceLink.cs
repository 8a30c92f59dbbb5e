using System.Buffers.Binary;
using System.Net.WebSockets;

namespace ConsoleProxy.Tests.Support;

/// <summary>
/// The first exchange of a SPICE channel, as spice-html5 starts it over the WebSocket: the client's link header and
/// SpiceLinkMess (channel type and id, no capabilities), the server's link header ("REDQ", protocol 2) and SpiceLinkReply
/// whose first field is the link error (0 = OK). Enough to prove bytes reach a real SPICE server and come back.
/// </summary>
public static class SpiceLink
{
    public const byte MainChannel = 1;
    public const byte DisplayChannel = 2;
    public const byte InputsChannel = 3;
    public const byte CursorChannel = 4;

    private const uint Magic = 0x51444552; // "REDQ" read as a little-endian uint32
    private const int HeaderSize = 16;
    private const int LinkMessSize = 18;

    /// <summary>Sends a link request for <paramref name="channelType"/>; returns the server's link error (0 = OK).</summary>
    public static async Task<uint> LinkAsync(WebSocket socket, byte channelType)
    {
        var request = new byte[HeaderSize + LinkMessSize];
        var span = request.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], LinkMessSize);
        var mess = span[HeaderSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(mess, 0); // connection id: 0 for a new session's main channel
        mess[4] = channelType;
        mess[5] = 0; // channel id
        BinaryPrimitives.WriteUInt32LittleEndian(mess[6..], 0); // common caps
        BinaryPrimitives.WriteUInt32LittleEndian(mess[10..], 0); // channel caps
        BinaryPrimitives.WriteUInt32LittleEndian(mess[14..], LinkMessSize); // caps offset
        await ProxyClient.SendAsync(socket, request);

        var header = await ProxyClient.ReceiveExactlyAsync(socket, HeaderSize);
        Assert.Equal(Magic, BinaryPrimitives.ReadUInt32LittleEndian(header));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)));
        var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        Assert.InRange(size, 4, 4096);
        var reply = await ProxyClient.ReceiveExactlyAsync(socket, size);
        return BinaryPrimitives.ReadUInt32LittleEndian(reply);
    }
}
