using TestKit.Network;
using System.Globalization;
using ConsoleProxy.Benchmarks.Report;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// The floor of consoleproxy's stack (tests/KestrelWebSocketFloor): Kestrel, ASP.NET Core's own WebSockets and a
/// copy loop each way, with consoleproxy's runtime and socket settings and none of its work (no token, Redis, log
/// line or metric). It does strictly less per session than consoleproxy, so for the per-session figures a target the
/// floor misses is out of reach for any relay built on this stack, and the gap between it and consoleproxy is what the
/// product's own work costs. Per byte it bounds nothing: consoleproxy's own framing is faster.
/// </summary>
public static class KestrelFloorSystem
{
    /// <summary>The floor, when run.sh gave its executable and <c>--systems</c> includes it; otherwise null.</summary>
    public static async Task<WebSocketRelaySystem?> StartIfMeasuredAsync(BenchmarkSettings settings, TargetSet targets) =>
        settings.FloorExecutable is { } executable && settings.Includes(MarkdownTable.KestrelFloor)
            ? await StartAsync(executable, targets, settings.WorkDirectory)
            : null;

    public static async Task<WebSocketRelaySystem> StartAsync(string executable, TargetSet targets, string workDirectory)
    {
        var port = FreeTcpPort.Next();
        var process = RelayProcess.Start(
            executable,
            [port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>(),
            Path.Combine(workDirectory, $"kestrel-floor-{port}.log"));
        try
        {
            await process.WaitListeningAsync(port, TimeSpan.FromSeconds(30));
            var urls = targets.All.ToDictionary(
                target => target.Mode,
                target => new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{port}/websockify?port={target.Port}")));
            return new WebSocketRelaySystem(MarkdownTable.KestrelFloor, process, urls);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}
