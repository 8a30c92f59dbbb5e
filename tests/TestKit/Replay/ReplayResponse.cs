using TestKit.Fixtures;

namespace TestKit.Replay;

/// <summary>What the replay server answers to one request: a recorded response, or a watch stream line by line.</summary>
public sealed record ReplayResponse
{
    /// <summary>Headers the transport recomputes; replaying them would lie about the framing.</summary>
    private static readonly HashSet<string> TransportHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Date", "Keep-Alive",
    };

    public required int Status { get; init; }

    public IReadOnlyList<RecordedHeader> Headers { get; init; } = [];

    public byte[]? Body { get; init; }

    /// <summary>For a watch: the lines to send, each followed by '\n' and flushed on its own (one chunk per event).</summary>
    public IReadOnlyList<string>? WatchLines { get; init; }

    public TimeSpan DelayBetweenLines { get; init; }

    public WatchEnding Ending { get; init; } = WatchEnding.Clean;

    /// <summary>The recorded answer of an exchange; watch streams end cleanly, as they did (curl exit 0).</summary>
    public static ReplayResponse From(RecordedExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var response = exchange.Response;
        return new ReplayResponse
        {
            Status = response.Status,
            Headers = response.Headers.Where(h => !TransportHeaders.Contains(h.Name)).ToList(),
            Body = response.IsWatch ? null : response.Body,
            WatchLines = response.IsWatch ? response.WatchLines : null,
        };
    }

    /// <summary>A 200 watch response streaming <paramref name="lines"/> and ending as told.</summary>
    public static ReplayResponse Watch(IReadOnlyList<string> lines, WatchEnding ending, TimeSpan delayBetweenLines = default) => new()
    {
        Status = 200,
        Headers = [new RecordedHeader("Content-Type", "application/json"), new RecordedHeader("Cache-Control", "no-cache, private")],
        WatchLines = lines,
        Ending = ending,
        DelayBetweenLines = delayBetweenLines,
    };
}
