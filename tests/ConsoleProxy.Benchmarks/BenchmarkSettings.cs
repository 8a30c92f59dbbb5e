using System.Globalization;

namespace ConsoleProxy.Benchmarks;

/// <summary>Command-line settings of the benchmark program (run.sh passes the proxy's path).</summary>
public sealed record BenchmarkSettings
{
    public required string ProxyExecutable { get; init; }

    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "consoleproxy-bench");

    public int Runs { get; init; } = 3;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    public int RoundTrips { get; init; } = 10_000;

    public int IdleSessions { get; init; } = 8_000;

    /// <summary>websockify forks a Python process per session (MiBs each): ask it for fewer, record what it held.</summary>
    public int WebsockifyIdleSessions { get; init; } = 600;

    public TimeSpan IdleLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Which systems to measure (the first word of their name in the table: direct, socat, haproxy, websockify, consoleproxy); all by default.</summary>
    public IReadOnlySet<string>? Systems { get; init; }

    public bool Includes(string system) => Systems is null || Systems.Contains(system.Split(' ')[0]);

    /// <summary>Which measurements to run: throughput, roundtrip, sessions, idle; all of them by default.</summary>
    public IReadOnlySet<string>? Measurements { get; init; }

    public bool Measures(string measurement) => Measurements is null || Measurements.Contains(measurement);

    public static BenchmarkSettings Parse(IReadOnlyList<string> args)
    {
        string? proxy = null;
        var settings = new BenchmarkSettings { ProxyExecutable = string.Empty };
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--proxy" => settings with { ProxyExecutable = proxy = Path.GetFullPath(value) },
                "--work" => settings with { WorkDirectory = value },
                "--runs" => settings with { Runs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--round-trips" => settings with { RoundTrips = int.Parse(value, CultureInfo.InvariantCulture) },
                "--idle" => settings with { IdleSessions = int.Parse(value, CultureInfo.InvariantCulture) },
                "--measure" => settings with { Measurements = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--systems" => settings with { Systems = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase) },
                "--websockify-idle" => settings with { WebsockifyIdleSessions = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }

        if (proxy is null || !File.Exists(proxy))
        {
            throw new ArgumentException("--proxy PATH to the consoleproxy executable (a Release build) is required");
        }

        return settings;
    }
}
