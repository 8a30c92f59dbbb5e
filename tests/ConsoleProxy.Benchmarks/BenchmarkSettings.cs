using System.Globalization;

namespace ConsoleProxy.Benchmarks;

/// <summary>Command-line settings of the benchmark program (run.sh passes the proxy's path).</summary>
public sealed record BenchmarkSettings
{
    public required string ProxyExecutable { get; init; }

    /// <summary>The Kestrel WebSocket floor (tests/KestrelWebSocketFloor, run.sh builds it); null: not measured.</summary>
    public string? FloorExecutable { get; init; }

    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "consoleproxy-bench");

    public int Runs { get; init; } = 3;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    public int RoundTrips { get; init; } = 10_000;

    public int IdleSessions { get; init; } = 8_000;

    /// <summary>websockify forks a Python process per session (MiBs each): ask it for fewer, record what it held.</summary>
    public int WebsockifyIdleSessions { get; init; } = 600;

    public TimeSpan IdleLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the relay's CPU is read while it holds the idle sessions (two of consoleproxy's 5 s publishing rounds), after
    /// as long unmeasured while the runtime's tiered JIT finishes compiling what the new sessions ran.
    /// </summary>
    public TimeSpan IdleCpuWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Which systems to measure (the first word of their name in the table: direct, socat, haproxy, websockify, kestrel, consoleproxy); all by default.</summary>
    public IReadOnlySet<string>? Systems { get; init; }

    public bool Includes(string system) => Systems is null || Systems.Contains(system.Split(' ')[0]);

    /// <summary>Live consoles: the N to measure every system at (websockify only up to <see cref="WebsockifyLiveLimit"/>).</summary>
    public IReadOnlyList<int> LiveSessions { get; init; } = [100, 1_000, 4_000];

    /// <summary>websockify forks a process per session: live consoles through it stop at this N.</summary>
    public int WebsockifyLiveLimit { get; init; } = 100;

    public TimeSpan LiveWarmUp { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>New sessions before the first run: slices of this length for at least the minimum, then until the CPU per session settles, at most the limit.</summary>
    public TimeSpan SessionWarmUpSlice { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan SessionWarmUpMinimum { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan SessionWarmUpLimit { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan LiveDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The search for the largest N held with p99 added latency within the limit: each step's window, and the largest N tried.</summary>
    public TimeSpan SearchDuration { get; init; } = TimeSpan.FromSeconds(4);

    public int SearchLimit { get; init; } = 8_000;

    /// <summary>Time to first frame: sessions per system, sequential and in parallel.</summary>
    public int FirstFrames { get; init; } = 2_000;

    /// <summary>websockify forks a process per session (about 90 ms each here): it gets fewer.</summary>
    public int WebsockifyFirstFrames { get; init; } = 200;

    /// <summary>Which measurements to run: throughput, roundtrip, sessions, idle, live, search, firstframe; all of them by default.</summary>
    public IReadOnlySet<string>? Measurements { get; init; }

    public bool Measures(string measurement) => Measurements is null || Measurements.Contains(measurement);

    /// <summary>
    /// A consoleproxy built from an older revision (run.sh --baseline REV builds it), measured beside <see cref="ProxyExecutable"/>
    /// for new sessions per second only, in the same runs; null: no baseline.
    /// </summary>
    public string? BaselineExecutable { get; init; }

    /// <summary>What the baseline is, for the report (the git revision).</summary>
    public string BaselineLabel { get; init; } = "baseline";

    public static BenchmarkSettings Parse(IReadOnlyList<string> args)
    {
        string? proxy = null;
        var settings = new BenchmarkSettings { ProxyExecutable = string.Empty };
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--quick")
            {
                // Under 5 minutes with the build (CI-like checks): one run of everything, short windows, smaller counts.
                settings = settings with
                {
                    Runs = 1,
                    Duration = TimeSpan.FromSeconds(1),
                    RoundTrips = 2_000,
                    IdleSessions = 2_000,
                    WebsockifyIdleSessions = 50,
                    IdleLimit = TimeSpan.FromSeconds(30),
                    IdleCpuWindow = TimeSpan.FromSeconds(5),
                    LiveSessions = [100, 1_000],
                    LiveWarmUp = TimeSpan.FromSeconds(1),
                    SessionWarmUpSlice = TimeSpan.FromSeconds(1),
                    SessionWarmUpMinimum = TimeSpan.FromSeconds(2),
                    SessionWarmUpLimit = TimeSpan.FromSeconds(4),
                    LiveDuration = TimeSpan.FromSeconds(3),
                    SearchDuration = TimeSpan.FromSeconds(2),
                    SearchLimit = 4_000,
                    FirstFrames = 300,
                    // websockify forks a process per session (0.2-0.5 s each on a loaded machine): 32 keep the quick run under 5 minutes with wss measured too.
                    WebsockifyFirstFrames = 32,
                };
                continue;
            }

            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--proxy" => settings with { ProxyExecutable = proxy = Path.GetFullPath(value) },
                "--floor" => settings with { FloorExecutable = Path.GetFullPath(value) },
                "--work" => settings with { WorkDirectory = value },
                "--runs" => settings with { Runs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--round-trips" => settings with { RoundTrips = int.Parse(value, CultureInfo.InvariantCulture) },
                "--idle" => settings with { IdleSessions = int.Parse(value, CultureInfo.InvariantCulture) },
                "--measure" => settings with { Measurements = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--systems" => settings with { Systems = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--live" => settings with { LiveSessions = value.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray() },
                "--live-seconds" => settings with { LiveDuration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--websockify-live" => settings with { WebsockifyLiveLimit = int.Parse(value, CultureInfo.InvariantCulture) },
                "--search-limit" => settings with { SearchLimit = int.Parse(value, CultureInfo.InvariantCulture) },
                "--first-frames" => settings with { FirstFrames = int.Parse(value, CultureInfo.InvariantCulture) },
                "--baseline-proxy" => settings with { BaselineExecutable = Path.GetFullPath(value) },
                "--baseline-label" => settings with { BaselineLabel = value },
                "--websockify-idle" => settings with { WebsockifyIdleSessions = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }

        if (proxy is null || !File.Exists(proxy))
        {
            throw new ArgumentException("--proxy PATH to the consoleproxy executable (a Release build) is required");
        }

        if (settings.FloorExecutable is { } floor && !File.Exists(floor))
        {
            throw new ArgumentException($"--floor {floor}: no such file (run.sh builds tests/KestrelWebSocketFloor)");
        }

        if (settings.BaselineExecutable is { } baseline && !File.Exists(baseline))
        {
            throw new ArgumentException($"--baseline-proxy {baseline}: no such file (run.sh --baseline REV builds it)");
        }

        return settings;
    }
}
