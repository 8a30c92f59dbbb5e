namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>What one system did with N live consoles during the measurement window.</summary>
public sealed record LiveConsoleResult
{
    public required string System { get; init; }

    public required int Asked { get; init; }

    public required int Opened { get; init; }

    /// <summary>Screen-update latency (target to client), microseconds, sorted.</summary>
    public required LatencyPercentiles Updates { get; init; }

    /// <summary>Input-event latency (client to target), microseconds, sorted.</summary>
    public required LatencyPercentiles Inputs { get; init; }

    /// <summary>
    /// Messages due in the window and sent over those the sessions' rates asked for in it (both directions): below 1 the
    /// load generator could not start the sends on time (a busy machine, or backpressure), and every other
    /// figure describes the smaller load actually offered.
    /// </summary>
    public required double Offered { get; init; }

    /// <summary>Messages that arrived in the window over those sent in it (both directions): below 1 a system fell behind.</summary>
    public required double Delivered { get; init; }

    /// <summary>Relay CPU in % of one CPU per 1,000 live sessions; null without a relay process.</summary>
    public double? RelayCpuPercentPerThousand { get; init; }

    /// <summary>Relay PSS per live session, KiB; null without a relay process.</summary>
    public double? RelayKiBPerSession { get; init; }

    /// <summary>The load generator's own CPU (this process), % of one CPU.</summary>
    public required double GeneratorCpuPercent { get; init; }

    /// <summary>Messages sent in the window (both directions), per second of it.</summary>
    public required double SentPerSecond { get; init; }

    /// <summary>
    /// The load generator's CPU per 1,000 messages sent, ms: what it costs per message (bytes included) whatever
    /// share of the CPU a busy machine left it, so it compares generator builds where its CPU % and the sent % do not.
    /// </summary>
    public double? GeneratorCpuMillisPerThousand => SentPerSecond > 0 ? GeneratorCpuPercent / 100 / SentPerSecond * 1_000_000 : null;

    /// <summary>
    /// How late sends started after their due time, p99, microseconds: the wheel running late on a busy
    /// machine, or a send held up behind the previous one (backpressure from the relay).
    /// </summary>
    public required double SendLagP99Micros { get; init; }

    /// <summary>The whole machine's busy share during the window, %.</summary>
    public required double MachineBusyPercent { get; init; }

    /// <summary>Why sessions failed to open or ended early, or null.</summary>
    public string? Failure { get; init; }
}
