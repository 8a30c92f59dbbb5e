using System.Buffers.Binary;
using System.Diagnostics;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// The wire format of the live-console load, chosen so every message carries the time it was due:
/// a screen update is a 4-byte big-endian length (the whole message) then a 4-byte send time; an input
/// event (6-10 bytes, like RFB's pointer and key events) is a 1-byte length then the 4-byte send time.
/// Times are microseconds since the load generator's origin, wrapping after 71 minutes (differences of
/// unsigned values stay right across the wrap). Both ends live in this process, so one clock serves both.
/// </summary>
public sealed class ConsoleMessages
{
    public const int UpdateHeaderLength = 8;
    public const int MinUpdate = 4 * 1024;
    public const int MaxUpdate = 64 * 1024;
    public const int MinInput = 6;
    public const int MaxInput = 10;

    private readonly long _origin = Stopwatch.GetTimestamp();

    /// <summary>Microseconds since the origin (the pacing wheel's clock too).</summary>
    public long ElapsedMicros() => Stopwatch.GetElapsedTime(_origin).Ticks / TimeSpan.TicksPerMicrosecond;

    /// <summary>Microseconds since the origin, as the payloads carry them.</summary>
    public uint NowMicros() => unchecked((uint)ElapsedMicros());

    public static void WriteUpdateHeader(Span<byte> header, int length, uint sentMicros)
    {
        BinaryPrimitives.WriteInt32BigEndian(header, length);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], sentMicros);
    }

    public static void WriteInput(Span<byte> input, uint sentMicros)
    {
        input[0] = (byte)input.Length;
        BinaryPrimitives.WriteUInt32BigEndian(input[1..], sentMicros);
        input[5..].Fill(0xEE);
    }
}
