using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using ConsoleProxy.Rfb;

namespace ConsoleProxy.Screenshots;

/// <summary>
/// Reads one picture of a console over RFB (RFC 6143) as a viewer would, without disturbing anyone: the shared flag
/// is set (a VNC server drops its other viewers for an exclusive one), one non-incremental FramebufferUpdateRequest
/// in Raw encoding and 32-bit true colour, then the connection closes. Security type None, or whatever the security
/// proxy negotiated (VeNCrypt) before it is called.
/// </summary>
public static class RfbScreenCapture
{
    private const byte SecurityNone = 1;
    private const int RawEncoding = 0;

    /// <summary>Captures the screen; <see cref="ScreenCaptureException"/> says why a server cannot be captured.</summary>
    /// <param name="stream">The connection to the VNC server.</param>
    /// <param name="securityDone">True when the security proxy has already negotiated (the server waits for ClientInit).</param>
    public static async Task<Framebuffer> CaptureAsync(Stream stream, bool securityDone, int maxPixels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!securityDone)
        {
            await NegotiateNoneAsync(stream, cancellationToken);
        }

        await stream.WriteAsync(new byte[] { 1 }, cancellationToken); // ClientInit: shared
        var init = await ReadAsync(stream, 24, cancellationToken);
        var width = BinaryPrimitives.ReadUInt16BigEndian(init);
        var height = BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2));
        if ((long)width * height > maxPixels || width == 0 || height == 0)
        {
            throw new ScreenCaptureException($"the console's screen is {width}x{height}, beyond the {maxPixels}-pixel limit for screenshots");
        }

        await ReadAsync(stream, (int)BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20)), cancellationToken); // desktop name
        await stream.WriteAsync(Requests(width, height), cancellationToken);
        return await ReadPictureAsync(stream, width, height, cancellationToken);
    }

    /// <summary>RFB 3.8 up to the SecurityResult, with security type None.</summary>
    private static async Task NegotiateNoneAsync(Stream stream, CancellationToken cancellationToken)
    {
        var version = await ReadAsync(stream, 12, cancellationToken);
        var text = Encoding.ASCII.GetString(version);
        if (!text.StartsWith("RFB 003.", StringComparison.Ordinal) || string.CompareOrdinal(text, "RFB 003.008\n") < 0)
        {
            throw new ScreenCaptureException($"the console speaks '{text.TrimEnd()}', not RFB 3.8");
        }

        await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);
        var count = (await ReadAsync(stream, 1, cancellationToken))[0];
        if (count == 0)
        {
            throw new ScreenCaptureException($"the console refused the connection: {await ReadReasonAsync(stream, cancellationToken)}");
        }

        var types = await ReadAsync(stream, count, cancellationToken);
        if (!types.Contains(SecurityNone))
        {
            throw new ScreenCaptureException($"the console asks for authentication (security types {string.Join(", ", types)}); screenshots support security type None");
        }

        await stream.WriteAsync(new[] { SecurityNone }, cancellationToken);
        if (BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(stream, 4, cancellationToken)) != 0)
        {
            throw new ScreenCaptureException($"the console refused the connection: {await ReadReasonAsync(stream, cancellationToken)}");
        }
    }

    /// <summary>SetPixelFormat (32 bpp, depth 24, little-endian, red at bit 16), SetEncodings (Raw), one full update request.</summary>
    private static byte[] Requests(ushort width, ushort height)
    {
        var message = new byte[20 + 8 + 10];
        message[0] = RfbClientMessage.SetPixelFormat;
        message[4] = 32;
        message[5] = 24;
        message[6] = 0; // little-endian
        message[7] = 1; // true colour
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), 255);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), 255);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(12), 255);
        message[14] = 16;
        message[15] = 8;
        message[16] = 0;
        message[20] = RfbClientMessage.SetEncodings;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(24), RawEncoding);
        message[28] = RfbClientMessage.FramebufferUpdateRequest;
        message[29] = 0; // not incremental: the whole screen
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(34), width);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(36), height);
        return message;
    }

    private static async Task<Framebuffer> ReadPictureAsync(Stream stream, int width, int height, CancellationToken cancellationToken)
    {
        var rgb = new byte[width * height * 3];
        while (true)
        {
            var type = (await ReadAsync(stream, 1, cancellationToken))[0];
            switch (type)
            {
                case RfbServerMessage.FramebufferUpdate:
                    var header = await ReadAsync(stream, 3, cancellationToken);
                    var rectangles = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1));
                    for (var index = 0; index < rectangles; index++)
                    {
                        await ReadRectangleAsync(stream, rgb, width, height, cancellationToken);
                    }

                    // The answer to a non-incremental request covers the whole screen.
                    return new Framebuffer(width, height, rgb);
                case RfbServerMessage.SetColourMapEntries:
                    var entries = await ReadAsync(stream, 5, cancellationToken);
                    await ReadAsync(stream, BinaryPrimitives.ReadUInt16BigEndian(entries.AsSpan(3)) * 6, cancellationToken);
                    break;
                case RfbServerMessage.Bell:
                    break;
                case RfbServerMessage.ServerCutText:
                    var cut = await ReadAsync(stream, 7, cancellationToken);
                    await ReadAsync(stream, checked((int)BinaryPrimitives.ReadUInt32BigEndian(cut.AsSpan(3))), cancellationToken);
                    break;
                default:
                    throw new ScreenCaptureException($"the console sent RFB message type {type}, which a screenshot cannot follow");
            }
        }
    }

    private static async Task ReadRectangleAsync(Stream stream, byte[] rgb, int width, int height, CancellationToken cancellationToken)
    {
        var header = await ReadAsync(stream, 12, cancellationToken);
        int x = BinaryPrimitives.ReadUInt16BigEndian(header), y = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        int w = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)), h = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6));
        var encoding = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        if (encoding != RawEncoding || x + w > width || y + h > height)
        {
            throw new ScreenCaptureException($"the console sent a {w}x{h} rectangle at {x},{y} in encoding {encoding}; only Raw inside the screen was asked for");
        }

        var row = new byte[w * 4];
        for (var line = 0; line < h; line++)
        {
            await stream.ReadExactlyAsync(row, cancellationToken);
            var offset = ((y + line) * width + x) * 3;
            for (var column = 0; column < w; column++)
            {
                // Little-endian 32-bit pixels with red at bit 16: blue, green, red, unused in memory.
                rgb[offset + column * 3] = row[column * 4 + 2];
                rgb[offset + column * 3 + 1] = row[column * 4 + 1];
                rgb[offset + column * 3 + 2] = row[column * 4];
            }
        }
    }

    private static async Task<string> ReadReasonAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(stream, 4, cancellationToken)), 4096);
        return Encoding.UTF8.GetString(await ReadAsync(stream, length, cancellationToken));
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new ScreenCaptureException("the console closed the connection during the screenshot");
        }

        return buffer;
    }
}
