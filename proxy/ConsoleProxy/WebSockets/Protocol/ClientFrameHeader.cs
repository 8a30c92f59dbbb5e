using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;

namespace ConsoleProxy.WebSockets.Protocol;

/// <summary>
/// The header of a frame a browser sent (RFC 6455 section 5.2), validated as it is read: a client
/// frame must be masked, use no extension bits and a known opcode, and a control frame must be
/// final and carry at most 125 bytes. Anything else is a <see cref="WebSocketProtocolException"/>.
/// </summary>
public readonly record struct ClientFrameHeader(bool IsFinal, WebSocketOpcode Opcode, long PayloadLength, uint MaskKey, int Length)
{
    /// <summary>The longest header: 2 bytes, a 64-bit length and a 4-byte mask.</summary>
    public const int MaxLength = 14;

    public const int MaxControlPayload = 125;

    public bool IsControl => ((byte)Opcode & 0x8) != 0;

    /// <summary>
    /// Reads a header from the start of <paramref name="buffer"/>; false when more bytes are needed.
    /// The mask key is kept as read (little-endian), the order <see cref="PayloadMask"/> expects.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> buffer, out ClientFrameHeader header)
    {
        header = default;
        Span<byte> bytes = stackalloc byte[MaxLength];
        var available = (int)Math.Min(buffer.Length, MaxLength);
        if (available < 2)
        {
            return false;
        }

        var first = buffer.FirstSpan;
        if (first.Length >= available)
        {
            first[..available].CopyTo(bytes);
        }
        else
        {
            buffer.Slice(0, available).CopyTo(bytes);
        }

        if ((bytes[0] & 0x70) != 0)
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "reserved bits set without an extension");
        }

        var opcode = (WebSocketOpcode)(bytes[0] & 0x0F);
        if (!Enum.IsDefined(opcode))
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "unknown opcode");
        }

        if ((bytes[1] & 0x80) == 0)
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "client frames must be masked");
        }

        var isFinal = (bytes[0] & 0x80) != 0;
        long payloadLength = bytes[1] & 0x7F;
        var length = 2;
        if (payloadLength == 126)
        {
            length = 4;
        }
        else if (payloadLength == 127)
        {
            length = 10;
        }

        if (available < length + 4)
        {
            return false;
        }

        if (length == 4)
        {
            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        }
        else if (length == 10)
        {
            var wide = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if (wide > long.MaxValue)
            {
                throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "payload length has its most significant bit set");
            }

            payloadLength = (long)wide;
        }

        header = new ClientFrameHeader(isFinal, opcode, payloadLength, BinaryPrimitives.ReadUInt32LittleEndian(bytes[length..]), length + 4);
        if (header.IsControl && (!isFinal || payloadLength > MaxControlPayload))
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "control frames must be final and at most 125 bytes");
        }

        return true;
    }
}
