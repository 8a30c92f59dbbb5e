using System.Buffers.Binary;

namespace ConsoleProxy.WebSockets.Protocol;

/// <summary>Writes the header of a frame the proxy sends: final, unmasked (servers never mask), 2, 4 or 10 bytes.</summary>
public static class ServerFrameHeader
{
    public const int MaxLength = 10;

    /// <summary>Header length for a payload of this size.</summary>
    public static int LengthFor(long payloadLength) => payloadLength switch
    {
        < 126 => 2,
        <= ushort.MaxValue => 4,
        _ => 10,
    };

    /// <summary>Writes the header at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int Write(Span<byte> destination, WebSocketOpcode opcode, long payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        destination[0] = (byte)(0x80 | (byte)opcode);
        switch (LengthFor(payloadLength))
        {
            case 2:
                destination[1] = (byte)payloadLength;
                return 2;
            case 4:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                return 4;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
                return 10;
        }
    }
}
