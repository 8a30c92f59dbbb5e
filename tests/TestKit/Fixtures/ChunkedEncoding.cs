using System.Globalization;
using System.Text;

namespace TestKit.Fixtures;

/// <summary>Removes HTTP/1.1 chunk framing (RFC 9112 section 7.1) from a recorded <c>curl --raw</c> body.</summary>
public static class ChunkedEncoding
{
    public static byte[] Decode(byte[] framed)
    {
        ArgumentNullException.ThrowIfNull(framed);
        using var output = new MemoryStream();
        var position = 0;
        while (position < framed.Length)
        {
            var lineEnd = IndexOfCrlf(framed, position)
                ?? throw new FormatException($"chunk size line without CRLF at byte {position}");
            var sizeText = Encoding.ASCII.GetString(framed, position, lineEnd - position).Split(';', 2)[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size))
            {
                throw new FormatException($"invalid chunk size '{sizeText}' at byte {position}");
            }

            position = lineEnd + 2;
            if (size == 0)
            {
                return output.ToArray();
            }

            if (position + size + 2 > framed.Length)
            {
                throw new FormatException($"chunk of {size} bytes at byte {position} runs past the end");
            }

            output.Write(framed, position, size);
            position += size + 2;
        }

        // A stream cut before the terminating zero chunk still yields what arrived.
        return output.ToArray();
    }

    private static int? IndexOfCrlf(byte[] data, int from)
    {
        for (var i = from; i + 1 < data.Length; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n')
            {
                return i;
            }
        }

        return null;
    }
}
