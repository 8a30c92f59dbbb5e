using System.Buffers.Binary;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

/// <summary>Builds frames as a browser sends them (masked with a random key), written independently of the proxy's parser.</summary>
internal static class ClientFrames
{
    public static byte[] Frame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool final = true, byte[]? maskKey = null)
    {
        maskKey ??= RandomKey();
        var lengthBytes = payload.Length < 126 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        var frame = new byte[2 + lengthBytes + 4 + payload.Length];
        frame[0] = (byte)((final ? 0x80 : 0) | (byte)opcode);
        if (lengthBytes == 0)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (lengthBytes == 2)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        var keyAt = 2 + lengthBytes;
        maskKey.CopyTo(frame, keyAt);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[keyAt + 4 + i] = (byte)(payload[i] ^ maskKey[i % 4]);
        }

        return frame;
    }

    public static byte[] Close(ushort? code, string reason = "")
    {
        if (code is null)
        {
            return Frame(WebSocketOpcode.Close, []);
        }

        var body = new byte[2 + System.Text.Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(body, code.Value);
        System.Text.Encoding.UTF8.GetBytes(reason, body.AsSpan(2));
        return Frame(WebSocketOpcode.Close, body);
    }

    public static byte[] RandomKey()
    {
        var key = new byte[4];
        Random.Shared.NextBytes(key);
        return key;
    }
}
