using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

/// <summary>Reads the frames the proxy wrote, checking what RFC 6455 asks of a server's frames on the way.</summary>
internal static class ServerFrames
{
    public static async Task<(WebSocketOpcode Opcode, byte[] Payload)> ReadAsync(PipeReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await reader.ReadAsync(timeout.Token);
            if (TryParse(result.Buffer, out var frame, out var consumed))
            {
                reader.AdvanceTo(result.Buffer.GetPosition(consumed));
                return frame;
            }

            if (result.IsCompleted)
            {
                throw new InvalidOperationException("the output ended inside a frame");
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static bool TryParse(ReadOnlySequence<byte> buffer, out (WebSocketOpcode, byte[]) frame, out long consumed)
    {
        frame = default;
        consumed = 0;
        var bytes = buffer.ToArray();
        if (bytes.Length < 2)
        {
            return false;
        }

        Assert.True((bytes[0] & 0x80) != 0, "server frames are final");
        Assert.True((bytes[1] & 0x80) == 0, "server frames are not masked");
        long length = bytes[1] & 0x7F;
        var at = 2;
        if (length == 126)
        {
            if (bytes.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2));
            Assert.True(length >= 126, "the shortest length encoding is used");
            at = 4;
        }
        else if (length == 127)
        {
            if (bytes.Length < 10)
            {
                return false;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(2));
            Assert.True(length > ushort.MaxValue, "the shortest length encoding is used");
            at = 10;
        }

        if (bytes.Length < at + length)
        {
            return false;
        }

        frame = ((WebSocketOpcode)(bytes[0] & 0x0F), bytes.AsSpan(at, (int)length).ToArray());
        consumed = at + length;
        return true;
    }
}
