using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace ConsoleProxy.WebSockets.Protocol;

/// <summary>The body of a close frame: an optional status code and a UTF-8 reason (RFC 6455 sections 5.5.1 and 7.4).</summary>
public static class ClosePayload
{
    /// <summary>The longest reason that fits a control frame next to the 2-byte code.</summary>
    public const int MaxReasonBytes = ClientFrameHeader.MaxControlPayload - 2;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses a browser's close body; null status when it carried none (which reads as 1005).</summary>
    public static (WebSocketCloseStatus? Status, string? Reason) Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length == 0)
        {
            return (null, null);
        }

        if (payload.Length == 1)
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "close frame with a one-byte body");
        }

        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!IsValidOnTheWire(code))
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "close frame with a reserved status code");
        }

        try
        {
            return ((WebSocketCloseStatus)code, StrictUtf8.GetString(payload[2..]));
        }
        catch (DecoderFallbackException)
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidPayloadData, "close reason is not UTF-8");
        }
    }

    /// <summary>Writes code and reason into <paramref name="destination"/> (at least 125 bytes); the reason is cut to fit, never mid-character.</summary>
    public static int Write(Span<byte> destination, WebSocketCloseStatus status, string? reason)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
        if (string.IsNullOrEmpty(reason))
        {
            return 2;
        }

        var chars = reason.AsSpan();
        while (Encoding.UTF8.GetByteCount(chars) > MaxReasonBytes)
        {
            chars = chars[..(char.IsLowSurrogate(chars[^1]) ? chars.Length - 2 : chars.Length - 1)];
        }

        return 2 + Encoding.UTF8.GetBytes(chars, destination[2..]);
    }

    /// <summary>Codes a peer may send: 1000-1003, 1007-1011 (and 1012-1014, registered since), 3000-4999.</summary>
    public static bool IsValidOnTheWire(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
