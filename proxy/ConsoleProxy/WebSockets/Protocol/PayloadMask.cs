using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ConsoleProxy.WebSockets.Protocol;

/// <summary>
/// Unmasks client payload (RFC 6455 section 5.3: byte i is XORed with mask byte i mod 4) while
/// copying it out, a vector at a time: every byte the browser sends passes through here, so this
/// is the client-to-server relay's only per-byte work.
/// </summary>
public static class PayloadMask
{
    /// <summary>
    /// Writes <paramref name="source"/> XOR the mask into <paramref name="destination"/> (the same
    /// length or longer; the two may be the same memory). <paramref name="maskKey"/> is the key as
    /// read little-endian from the frame; <paramref name="offset"/> is how many payload bytes of
    /// the frame came before (mod 4). Returns the offset for the bytes that follow.
    /// </summary>
    public static int Apply(ReadOnlySpan<byte> source, Span<byte> destination, uint maskKey, int offset)
    {
        if (source.Length > destination.Length)
        {
            throw new ArgumentException("the destination is shorter than the source", nameof(destination));
        }

        // Rotate so the key lines up with the first byte: in little-endian the lowest byte comes first.
        var mask = BitOperations.RotateRight(maskKey, 8 * (offset & 3));
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<byte>.Count)
        {
            // Vector<byte>.Count is a multiple of 4, so one replicated key fits every vector.
            var vectorMask = Vector.AsVectorByte(new Vector<uint>(mask));
            var sourceVectors = MemoryMarshal.Cast<byte, Vector<byte>>(source);
            var destinationVectors = MemoryMarshal.Cast<byte, Vector<byte>>(destination);
            for (var v = 0; v < sourceVectors.Length; v++)
            {
                destinationVectors[v] = sourceVectors[v] ^ vectorMask;
            }

            i = sourceVectors.Length * Vector<byte>.Count;
        }

        for (; i + 4 <= source.Length; i += 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[i..], BinaryPrimitives.ReadUInt32LittleEndian(source[i..]) ^ mask);
        }

        for (var shift = 0; i < source.Length; i++, shift += 8)
        {
            destination[i] = (byte)(source[i] ^ (mask >> shift));
        }

        return (offset + source.Length) & 3;
    }
}
