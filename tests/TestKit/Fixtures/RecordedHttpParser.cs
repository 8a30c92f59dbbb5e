using System.Globalization;
using System.Text;

namespace TestKit.Fixtures;

/// <summary>
/// Parses the two hand-readable HTTP files of a fixture folder: <c>request.http</c> (request line, headers,
/// blank line, body; LF line endings as curl's trace was written) and <c>response.headers</c> (status line and
/// headers exactly as received, CRLF, ending with a blank line).
/// </summary>
public static class RecordedHttpParser
{
    public static RecordedRequest ParseRequest(byte[] requestHttp, byte[]? separateBody)
    {
        ArgumentNullException.ThrowIfNull(requestHttp);
        var (head, inlineBody) = SplitHead(requestHttp);
        var lines = SplitLines(head);
        if (lines.Count == 0)
        {
            throw new FormatException("request.http is empty");
        }

        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            throw new FormatException($"bad request line '{lines[0]}'");
        }

        var body = separateBody ?? (inlineBody.Length > 0 ? inlineBody : null);
        return new RecordedRequest(requestLine[0], requestLine[1], ParseHeaders(lines.Skip(1)), body);
    }

    public static (int Status, string ReasonPhrase, IReadOnlyList<RecordedHeader> Headers) ParseResponseHead(byte[] responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        var (head, _) = SplitHead(responseHeaders);
        var lines = SplitLines(head);
        if (lines.Count == 0)
        {
            throw new FormatException("response.headers is empty");
        }

        // "HTTP/1.1 201 Created" (the reason phrase may hold spaces or be absent).
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException($"bad status line '{lines[0]}'");
        }

        return (status, statusLine.Length == 3 ? statusLine[2] : string.Empty, ParseHeaders(lines.Skip(1)));
    }

    public static IReadOnlyList<TimelineEntry> ParseTimeline(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<TimelineEntry>();
        foreach (var rawLine in text.Split('\n'))
        {
            if (rawLine.Length == 0)
            {
                continue;
            }

            // The recorded line itself may be empty (the CRLF after a chunk) but never holds a tab before JSON.
            var parts = rawLine.Split('\t', 3);
            if (parts.Length < 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                throw new FormatException($"bad timeline line '{rawLine}'");
            }

            entries.Add(new TimelineEntry(seconds, parts[1], parts.Length == 3 ? parts[2].TrimEnd('\r') : string.Empty));
        }

        return entries;
    }

    private static (byte[] Head, byte[] Body) SplitHead(byte[] data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }

            if (i + 1 < data.Length && data[i + 1] == '\n')
            {
                return (data[..i], data[(i + 2)..]);
            }

            if (i + 2 < data.Length && data[i + 1] == '\r' && data[i + 2] == '\n')
            {
                return (data[..i], data[(i + 3)..]);
            }
        }

        return (data, []);
    }

    private static List<string> SplitLines(byte[] head) =>
        Encoding.UTF8.GetString(head)
            .Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0)
            .ToList();

    private static List<RecordedHeader> ParseHeaders(IEnumerable<string> lines)
    {
        var headers = new List<RecordedHeader>();
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"bad header line '{line}'");
            }

            headers.Add(new RecordedHeader(line[..colon], line[(colon + 1)..].Trim()));
        }

        return headers;
    }
}
