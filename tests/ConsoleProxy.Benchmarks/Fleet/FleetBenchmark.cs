using TestKit.Processes;
using System.Globalization;
using System.Text;
using ConsoleProxy.Benchmarks.Report;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// Issue 19's fleet figures, one run beside the references: many live consoles (latency added to direct
/// TCP's, relay CPU per 1,000 sessions, memory per session; the largest N held), then time to first frame.
/// Relays are started fresh for this part, so what the earlier measurements left in them does not count.
/// </summary>
public static class FleetBenchmark
{
    /// <summary>The issue's limit for "the largest N this machine holds": p99 added latency of both directions.</summary>
    public const double HeldLimitMillis = 10;

    private const int TargetSessions = 1_000;
    private const double TargetAddedP99Millis = 2;
    private const double TargetCpuRatioToHaproxy = 0.5;

    public static async Task<string> RunAsync(BenchmarkSettings settings, TargetSet targets, RedisServer redis, Action<string> progress, List<string> notes, CancellationToken cancellationToken)
    {
        var output = new StringBuilder();
        await using var direct = new DirectTcp(targets);
        await using var haproxy = await HaproxySpliceRelaySystem.StartAsync(targets, settings.WorkDirectory);
        await using var websockify = await WebsockifySystem.StartAsync(targets, settings.WorkDirectory);
        await using var proxy = await ConsoleProxySystem.StartAsync(settings.ProxyExecutable, redis, targets, settings.WorkDirectory);
        await using var proxyWss = await ConsoleProxySystem.StartAsync(settings.ProxyExecutable, redis, targets, settings.WorkDirectory, serving: ProxyCertificate.Create(settings.WorkDirectory));
        await using var floor = await KestrelFloorSystem.StartIfMeasuredAsync(settings, targets);
        ISystemUnderTest[] relays = [.. new ISystemUnderTest?[] { haproxy, websockify, floor, proxy }.OfType<ISystemUnderTest>().Where(system => settings.Includes(system.Name))];
        var console = targets[TargetMode.Console];

        if (settings.Measures("live"))
        {
            var results = new List<(int Sessions, LiveConsoleResult Direct, LiveConsoleResult Result)>();
            foreach (var sessions in settings.LiveSessions)
            {
                for (var run = 1; run <= settings.Runs; run++)
                {
                    progress($"live consoles, N = {sessions}, run {run}: {direct.Name}");
                    var reference = await LiveConsoles.MeasureAsync(direct, console, sessions, settings.LiveWarmUp, settings.LiveDuration, cancellationToken);
                    Note(notes, sessions, run, reference);
                    foreach (var system in relays.Where(system => system != websockify || sessions <= settings.WebsockifyLiveLimit))
                    {
                        await Task.Delay(500, cancellationToken);
                        progress($"live consoles, N = {sessions}, run {run}: {system.Name}");
                        var result = await LiveConsoles.MeasureAsync(system, console, sessions, settings.LiveWarmUp, settings.LiveDuration, cancellationToken);
                        Note(notes, sessions, run, result);
                        results.Add((sessions, reference, result));
                    }

                    results.Add((sessions, reference, reference));
                    await Task.Delay(500, cancellationToken);
                }
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"Many live consoles ({settings.LiveDuration.TotalSeconds:0} s measured after {settings.LiveWarmUp.TotalSeconds:0} s of warm-up, median of {settings.Runs} run(s); each session: screen updates of 4-64 KiB at 10-30/s from the target, input events of 6-10 bytes at 20-60/s from the client; websockify only up to N = {settings.WebsockifyLiveLimit}):");
            output.AppendLine();
            output.AppendLine(LiveTable(results));
        }

        if (settings.Measures("search") && settings.Includes(proxy.Name))
        {
            output.AppendLine(await SearchAsync(settings, direct, proxy, console, progress, cancellationToken));
        }

        if (settings.Measures("firstframe"))
        {
            ISystemUnderTest[] systems = [direct, .. relays, .. settings.Includes(proxyWss.Name) ? new[] { proxyWss } : []];
            var figures = new Dictionary<(string System, bool Parallel), List<LatencyPercentiles>>();
            for (var run = 1; run <= settings.Runs; run++)
            {
                foreach (var system in systems)
                {
                    foreach (var parallel in new[] { 1, FirstFrame.Parallel })
                    {
                        progress($"time to first frame, run {run}: {system.Name}, {parallel} at a time");
                        var count = system == websockify ? Math.Min(settings.FirstFrames, settings.WebsockifyFirstFrames) : settings.FirstFrames;
                        var (latency, failures) = await FirstFrame.MeasureAsync(system, parallel, count, cancellationToken);
                        if (failures > 0)
                        {
                            notes.Add($"time to first frame, run {run}: {system.Name}, {parallel} at a time: {failures} of {count} sessions failed");
                        }

                        var key = (system.Name, parallel > 1);
                        if (!figures.TryGetValue(key, out var list))
                        {
                            figures[key] = list = [];
                        }

                        list.Add(latency);
                        await Task.Delay(300, cancellationToken);
                    }
                }
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"Time to first frame (connect, the TLS handshake for wss, the WebSocket upgrade, token lookup in Redis, dial, the target's RFB version string at the client; {settings.FirstFrames} sessions per figure, websockify {Math.Min(settings.FirstFrames, settings.WebsockifyFirstFrames)} (a process forked per session), median of {settings.Runs} run(s)):");
            output.AppendLine();
            output.AppendLine(FirstFrameTable(figures));
        }

        return output.ToString();
    }

    private static string FirstFrameTable(Dictionary<(string System, bool Parallel), List<LatencyPercentiles>> figures)
    {
        string[] systems = [MarkdownTable.Direct, MarkdownTable.SpliceRelay, MarkdownTable.Websockify, MarkdownTable.KestrelFloor, MarkdownTable.Proxy, ConsoleProxySystem.WssName];
        string[] ratios = [$"{MarkdownTable.Proxy} / haproxy", $"{MarkdownTable.Proxy} / websockify", $"{MarkdownTable.Proxy} / floor", "wss / ws"];
        double? Of(string system, bool parallel, Func<LatencyPercentiles, double> pick) =>
            figures.TryGetValue((system, parallel), out var runs) ? FleetTable.Median(runs.Select(pick)) / 1000 : null;
        FleetRow Row(string label, bool parallel, Func<LatencyPercentiles, double> pick) => new(
            label,
            systems.ToDictionary(s => s, s => FleetTable.Number(Of(s, parallel, pick), "0.00")),
            [
                FleetTable.Ratio(Of(MarkdownTable.Proxy, parallel, pick), Of(MarkdownTable.SpliceRelay, parallel, pick)),
                FleetTable.Ratio(Of(MarkdownTable.Proxy, parallel, pick), Of(MarkdownTable.Websockify, parallel, pick)),
                FleetTable.Ratio(Of(MarkdownTable.Proxy, parallel, pick), Of(MarkdownTable.KestrelFloor, parallel, pick)),
                FleetTable.Ratio(Of(ConsoleProxySystem.WssName, parallel, pick), Of(MarkdownTable.Proxy, parallel, pick)),
            ]);
        return FleetTable.Render(systems, ratios,
        [
            Row("sequential, p50 (ms)", false, p => p.P50),
            Row("sequential, p99 (ms)", false, p => p.P99),
            Row($"{FirstFrame.Parallel} in parallel, p50 (ms)", true, p => p.P50),
            Row($"{FirstFrame.Parallel} in parallel, p99 (ms)", true, p => p.P99),
        ]);
    }

    private static void Note(List<string> notes, int sessions, int run, LiveConsoleResult result)
    {
        if (result.Failure is not null)
        {
            notes.Add($"live consoles, N = {sessions}, run {run}: {result.System} held {result.Opened} of {sessions}: {result.Failure}");
        }
    }

    private static string LiveTable(List<(int Sessions, LiveConsoleResult Direct, LiveConsoleResult Result)> results)
    {
        string[] systems = [MarkdownTable.Direct, MarkdownTable.SpliceRelay, MarkdownTable.Websockify, MarkdownTable.KestrelFloor, MarkdownTable.Proxy];
        string[] ratios = [$"{MarkdownTable.Proxy} / haproxy", $"{MarkdownTable.Proxy} / websockify", $"{MarkdownTable.Proxy} / floor"];
        string[] noRatios = [.. ratios.Select(_ => string.Empty)];
        var rows = new List<FleetRow>();
        foreach (var group in results.GroupBy(r => r.Sessions))
        {
            var n = group.Key;
            var bySystem = group.GroupBy(r => r.Result.System).ToDictionary(g => g.Key, g => g.ToList());
            double? Of(string system, Func<(int Sessions, LiveConsoleResult Direct, LiveConsoleResult Result), double?> pick) =>
                bySystem.TryGetValue(system, out var runs) ? FleetTable.Median(runs.Select(pick).OfType<double>()) : null;
            Dictionary<string, string> Cells(Func<(int Sessions, LiveConsoleResult Direct, LiveConsoleResult Result), double?> pick, string format, bool withDirect = true) =>
                systems.Where(s => withDirect || s != MarkdownTable.Direct).ToDictionary(s => s, s => FleetTable.Number(Of(s, pick), format));
            Dictionary<string, string> Triples(Func<(int Sessions, LiveConsoleResult Direct, LiveConsoleResult Result), LatencyPercentiles> pick, bool added) =>
                systems.Where(s => !added || s != MarkdownTable.Direct).ToDictionary(s => s, s =>
                {
                    double? At(Func<LatencyPercentiles, double> p) => Of(s, r => (p(pick(r)) - (added ? p(pick((r.Sessions, r.Direct, r.Direct))) : 0)) / 1000);
                    return $"{FleetTable.Number(At(p => p.P50), "0.00")} / {FleetTable.Number(At(p => p.P99), "0.00")} / {FleetTable.Number(At(p => p.P999), "0.00")}";
                });
            string[] Ratios(Func<(int Sessions, LiveConsoleResult Direct, LiveConsoleResult Result), double?> pick) =>
                [FleetTable.Ratio(Of(MarkdownTable.Proxy, pick), Of(MarkdownTable.SpliceRelay, pick)), FleetTable.Ratio(Of(MarkdownTable.Proxy, pick), Of(MarkdownTable.Websockify, pick)), FleetTable.Ratio(Of(MarkdownTable.Proxy, pick), Of(MarkdownTable.KestrelFloor, pick))];

            double? AddedUpdateP99(string system) => Of(system, r => (r.Result.Updates.P99 - r.Direct.Updates.P99) / 1000);
            double? AddedInputP99(string system) => Of(system, r => (r.Result.Inputs.P99 - r.Direct.Inputs.P99) / 1000);
            var latencyTarget = n == TargetSessions ? $"p99 <= {TargetAddedP99Millis} ms" : string.Empty;
            string Verdict(bool? met) => met is { } m ? (m ? "yes" : "**no**") : "—";

            // consoleproxy's verdict, and the Kestrel floor's beside it (per byte the floor is no bound: see KestrelFloorSystem).
            string Met(Func<string, bool?> meets) =>
                bySystem.ContainsKey(MarkdownTable.KestrelFloor) ? $"{Verdict(meets(MarkdownTable.Proxy))} (floor: {Verdict(meets(MarkdownTable.KestrelFloor))})" : Verdict(meets(MarkdownTable.Proxy));
            string LatencyMet(Func<string, double?> added) => n != TargetSessions ? string.Empty : Met(system => added(system) is { } a ? a <= TargetAddedP99Millis : null);

            rows.Add(new FleetRow($"N = {n}: sessions held", Cells(r => r.Result.Opened, "0"), noRatios));
            rows.Add(new FleetRow($"N = {n}: screen update latency p50 / p99 / p99.9 (ms)", Triples(r => r.Result.Updates, added: false), noRatios));
            rows.Add(new FleetRow($"N = {n}: screen update latency added to direct TCP's, p50 / p99 / p99.9 (ms)", Triples(r => r.Result.Updates, added: true), Ratios(r => (r.Result.Updates.P99 - r.Direct.Updates.P99) / 1000), latencyTarget, LatencyMet(AddedUpdateP99)));
            rows.Add(new FleetRow($"N = {n}: input event latency p50 / p99 / p99.9 (ms)", Triples(r => r.Result.Inputs, added: false), noRatios));
            rows.Add(new FleetRow($"N = {n}: input event latency added to direct TCP's, p50 / p99 / p99.9 (ms)", Triples(r => r.Result.Inputs, added: true), Ratios(r => (r.Result.Inputs.P99 - r.Direct.Inputs.P99) / 1000), latencyTarget, LatencyMet(AddedInputP99)));
            var haproxyCpu = Of(MarkdownTable.SpliceRelay, r => r.Result.RelayCpuPercentPerThousand);
            rows.Add(new FleetRow(
                $"N = {n}: relay CPU per 1,000 live sessions (% of one CPU)",
                Cells(r => r.Result.RelayCpuPercentPerThousand, "0.0", withDirect: false),
                Ratios(r => r.Result.RelayCpuPercentPerThousand),
                $"<= {TargetCpuRatioToHaproxy}x haproxy (+ unmasking)",
                Met(system => Of(system, r => r.Result.RelayCpuPercentPerThousand) is { } cpu && haproxyCpu is { } h ? cpu <= TargetCpuRatioToHaproxy * h : null)));
            rows.Add(new FleetRow($"N = {n}: relay memory per live session (PSS, KiB)", Cells(r => r.Result.RelayKiBPerSession, "0.0", withDirect: false), Ratios(r => r.Result.RelayKiBPerSession)));
            rows.Add(new FleetRow($"N = {n}: messages sent of those the sessions' rates asked for (%)", Cells(r => r.Result.Offered * 100, "0.0"), noRatios));
            rows.Add(new FleetRow($"N = {n}: messages delivered of those sent in the window (%)", Cells(r => r.Result.Delivered * 100, "0.0"), noRatios));
            rows.Add(new FleetRow($"N = {n}: load generator CPU (% of one CPU) / send lag p99 (ms) / machine busy (%)", systems.ToDictionary(s => s, s =>
                $"{FleetTable.Number(Of(s, r => r.Result.GeneratorCpuPercent), "0")} / {FleetTable.Number(Of(s, r => r.Result.SendLagP99Micros / 1000), "0.00")} / {FleetTable.Number(Of(s, r => r.Result.MachineBusyPercent), "0")}"), noRatios));
            rows.Add(new FleetRow($"N = {n}: load generator CPU per 1,000 messages sent (ms, both ends, bytes included)", Cells(r => r.Result.GeneratorCpuMillisPerThousand, "0.0"), noRatios));
        }

        return FleetTable.Render(systems, ratios, rows);
    }

    /// <summary>
    /// The largest N consoleproxy holds with p99 added latency (both directions) within <see cref="HeldLimitMillis"/>,
    /// every session open, 95% of the asked rate sent and 99% of it delivered: doubling from 250, then two halvings of the gap.
    /// </summary>
    private static async Task<string> SearchAsync(BenchmarkSettings settings, ISystemUnderTest direct, ISystemUnderTest proxy, LoopbackTarget console, Action<string> progress, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        async Task<bool> HoldsAsync(int sessions)
        {
            progress($"largest N search: N = {sessions}");
            var reference = await LiveConsoles.MeasureAsync(direct, console, sessions, settings.LiveWarmUp, settings.SearchDuration, cancellationToken);
            await Task.Delay(500, cancellationToken);
            var result = await LiveConsoles.MeasureAsync(proxy, console, sessions, settings.LiveWarmUp, settings.SearchDuration, cancellationToken);
            await Task.Delay(500, cancellationToken);
            var update = (result.Updates.P99 - reference.Updates.P99) / 1000;
            var input = (result.Inputs.P99 - reference.Inputs.P99) / 1000;
            var holds = result.Failure is null && reference.Failure is null && result.Opened == sessions && result.Delivered >= 0.99 && result.Offered >= 0.95
                && update <= HeldLimitMillis && input <= HeldLimitMillis;
            var load = (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Trim();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"N = {sessions}: p99 added {update:0.00} ms (updates), {input:0.00} ms (input); sent {result.Offered * 100:0.0}% of the asked rate, delivered {result.Delivered * 100:0.0}%; {(holds ? "held" : "**not held**")}{((result.Failure ?? reference.Failure) is { } f ? $" ({f})" : string.Empty)}; load average {load}"));
            return holds;
        }

        var held = 0;
        var failed = 0;
        for (var sessions = 250; sessions <= settings.SearchLimit; sessions *= 2)
        {
            if (!await HoldsAsync(sessions))
            {
                failed = sessions;
                break;
            }

            held = sessions;
        }

        for (var step = 0; step < 2 && failed > 0 && failed - held > 1; step++)
        {
            var middle = (held + failed) / 2;
            if (await HoldsAsync(middle))
            {
                held = middle;
            }
            else
            {
                failed = middle;
            }
        }

        var summary = failed == 0
            ? $"consoleproxy held every N tried up to {held} (--search-limit) with p99 added latency <= {HeldLimitMillis} ms"
            : held == 0
                ? $"consoleproxy did not hold even N = {failed} with p99 added latency <= {HeldLimitMillis} ms"
                : $"the largest N consoleproxy held with p99 added latency <= {HeldLimitMillis} ms: {held} (not held at {failed})";
        return $"Largest N held ({settings.SearchDuration.TotalSeconds:0} s per step, against direct TCP at the same N): {summary}.\n\n" + string.Join("\n", lines.Select(l => "- " + l)) + "\n";
    }
}
