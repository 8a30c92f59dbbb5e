using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ConsoleProxy.Screenshots;

/// <summary>
/// A framebuffer as PNG (RFC 2083): one IHDR, one zlib-compressed IDAT, IEND; 8-bit RGB, no filter. The proxy
/// writes its own few lines because nothing in .NET writes PNG; the checksum is
/// <see cref="System.IO.Hashing.Crc32"/> and the compression <see cref="ZLibStream"/>.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(Framebuffer framebuffer)
    {
        ArgumentNullException.ThrowIfNull(framebuffer);
        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, framebuffer.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], framebuffer.Height);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: RGB
        WriteChunk(png, "IHDR", header);

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = framebuffer.Width * 3;
            for (var y = 0; y < framebuffer.Height; y++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(framebuffer.Rgb, y * row, row);
            }
        }

        WriteChunk(png, "IDAT", pixels.GetBuffer().AsSpan(0, (int)pixels.Length));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        png.Write(word);
    }
}
