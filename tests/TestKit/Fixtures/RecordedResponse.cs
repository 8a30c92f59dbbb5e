using System.Text;

namespace TestKit.Fixtures;

/// <summary>
/// The response half of a recorded exchange: <c>response.headers</c> plus either <c>response.body</c>
/// or, for watches, <c>stream.raw</c>/<c>stream.chunked</c>, <c>stream.timeline</c> and <c>curl.exit</c>.
/// </summary>
public sealed class RecordedResponse
{
    public RecordedResponse(
        int status,
        string reasonPhrase,
        IReadOnlyList<RecordedHeader> headers,
        byte[]? body,
        byte[]? streamRaw,
        byte[]? streamChunked,
        IReadOnlyList<TimelineEntry>? timeline,
        int? curlExit)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        Headers = headers;
        Body = body;
        StreamRaw = streamRaw;
        StreamChunked = streamChunked;
        Timeline = timeline;
        CurlExit = curlExit;
    }

    public int Status { get; }

    public string ReasonPhrase { get; }

    /// <summary>All headers in recorded order; repeated headers (e.g. <c>Warning</c>) are separate entries.</summary>
    public IReadOnlyList<RecordedHeader> Headers { get; }

    /// <summary>The exact body bytes (<c>response.body</c>), or null for watches and bodiless responses.</summary>
    public byte[]? Body { get; }

    /// <summary>The de-chunked watch body (<c>stream.raw</c>): one JSON event per '\n'-terminated line.</summary>
    public byte[]? StreamRaw { get; }

    /// <summary>The watch body with HTTP/1.1 chunk framing kept (<c>stream.chunked</c>, one folder only).</summary>
    public byte[]? StreamChunked { get; }

    public IReadOnlyList<TimelineEntry>? Timeline { get; }

    /// <summary>curl's exit code for watches: 0 means the server ended the chunked body cleanly.</summary>
    public int? CurlExit { get; }

    public bool IsWatch => StreamRaw is not null || StreamChunked is not null;

    public string? ContentType => Headers.Find("Content-Type");

    public string? BodyText => Body is null ? null : Encoding.UTF8.GetString(Body);

    /// <summary>
    /// The watch event lines without their newline, in arrival order: from <c>stream.raw</c>, or from
    /// <c>stream.chunked</c> with its chunk framing removed.
    /// </summary>
    public IReadOnlyList<string> WatchLines
    {
        get
        {
            var body = StreamRaw ?? (StreamChunked is null ? null : ChunkedEncoding.Decode(StreamChunked));
            if (body is null)
            {
                return [];
            }

            return Encoding.UTF8.GetString(body)
                .Split('\n')
                .Where(line => line.Length > 0)
                .ToList();
        }
    }
}
