using System.Text;

namespace TestKit.Fixtures;

/// <summary>The request half of a recorded exchange, parsed from <c>request.http</c> (+ <c>request.body</c>).</summary>
public sealed class RecordedRequest
{
    public RecordedRequest(string method, string target, IReadOnlyList<RecordedHeader> headers, byte[]? body)
    {
        Method = method;
        Target = target;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }

    /// <summary>Path and query exactly as sent (percent-encoding kept).</summary>
    public string Target { get; }

    /// <summary>The headers curl sent, in order. <c>Host</c> carries the recorder's random port.</summary>
    public IReadOnlyList<RecordedHeader> Headers { get; }

    /// <summary>The exact body bytes, or null when the request had no body.</summary>
    public byte[]? Body { get; }

    /// <summary>The path part of <see cref="Target"/> (no query).</summary>
    public string Path => Target.Split('?', 2)[0];

    /// <summary>The query string without the leading '?', or an empty string.</summary>
    public string Query => Target.Contains('?', StringComparison.Ordinal) ? Target.Split('?', 2)[1] : string.Empty;

    public string? ContentType => Headers.Find("Content-Type");

    public string? BodyText => Body is null ? null : Encoding.UTF8.GetString(Body);
}
