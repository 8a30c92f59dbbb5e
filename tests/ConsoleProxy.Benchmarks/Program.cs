using TestKit.Processes;
using System.Globalization;
using ConsoleProxy.Benchmarks;
using ConsoleProxy.Benchmarks.Fleet;
using ConsoleProxy.Benchmarks.Measurements;
using ConsoleProxy.Benchmarks.Report;
using ConsoleProxy.Benchmarks.Systems;

// Must come before this process's first async socket operation (the runtime reads it once). See LoadGeneratorSockets.
LoadGeneratorSockets.RunCompletionsInline();

// `make bench`: direct loopback TCP, two plain TCP relays (socat copying, haproxy splicing), websockify, the Kestrel WebSocket floor and consoleproxy, one run, one machine; medians of
// the runs, a Markdown table on stdout, progress on stderr.
BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"consoleproxy benchmark: {e.Message}");
    return 2;
}

Directory.CreateDirectory(settings.WorkDirectory);
var loadBefore = (await File.ReadAllTextAsync("/proc/loadavg")).Trim();
var machineBefore = MachineCpu.Read();
void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");


// The issue's targets; the throughput ones are multiples of websockify's rate measured in the same run.
const double RoundTripTargetMicros = 45;
var s2c1 = new ThroughputFigures("server-to-client, 1 connection", 2);
var s2c8 = new ThroughputFigures("server-to-client, 8 connections", 2);
var c2s1 = new ThroughputFigures("client-to-server, 1 connection", 5);
var c2s8 = new ThroughputFigures("client-to-server, 8 connections", 5);
ThroughputFigures[] throughput = [s2c1, s2c8, c2s1, c2s8];
var p50 = new Figure("64-byte round trip p50", "us", false, "0.0") { Target = ($"<= {RoundTripTargetMicros} us", f => f.Median(MarkdownTable.Proxy) <= RoundTripTargetMicros) };
var p99 = new Figure("64-byte round trip p99", "us", false, "0.0");
var rate = new Figure("new sessions", "per s", true, "0") { Target = (">= 2,000/s", f => f.Median(MarkdownTable.Proxy) >= 2000) };
var cpuSession = new Figure("relay CPU per new session", "CPU ms", false, "0.000");
var held = new Figure("idle sessions held", "of " + settings.IdleSessions.ToString(CultureInfo.InvariantCulture) + " asked; websockify asked " + settings.WebsockifyIdleSessions.ToString(CultureInfo.InvariantCulture), true, "0") { Target = (">= 8,000", f => f.Median(MarkdownTable.Proxy) >= 8000) };
var perIdle = new Figure("memory per idle session (PSS)", "KiB", false, "0.0") { Target = ("<= 64 KiB", f => f.Median(MarkdownTable.Proxy) <= 64) };
var cpuIdle = new Figure("relay CPU per 1,000 idle sessions", "% of one CPU", false, "0.00");
Figure[] figures = [s2c1.Rate, s2c8.Rate, c2s1.Rate, c2s8.Rate, p50, p99, rate, cpuSession, held, perIdle, cpuIdle];

var notes = new List<string>();
var baseline = settings.BaselineExecutable is null ? null : new BaselineComparison(settings.BaselineLabel);

async Task<(double PerSecond, double? CpuPerSession)> MeasureBaselineAsync(ISystemUnderTest system, int run)
{
    Progress($"run {run}: {system.Name}: new sessions");
    var (perSecond, failures, cpuPerSession) = await SessionRate.MeasureAsync(system, settings.Duration);
    if (failures > 0)
    {
        notes.Add($"run {run}: {system.Name}: {failures} session(s) failed to open while measuring new sessions per second");
    }

    // Let it finish tearing down the aborted sessions before the next system runs.
    await Task.Delay(500);
    return (perSecond, cpuPerSession);
}

await using var targets = new TargetSet();
var (targetCertificate, targetCaFile) = ConsoleProxy.Benchmarks.Targets.TargetCertificate.Create(settings.WorkDirectory);
await using var tlsTargets = new TargetSet(targetCertificate);
await using var redis = await RedisServer.StartAsync();

Progress($"load average {loadBefore}; {settings.Runs} runs of {settings.Duration.TotalSeconds} s per figure");
await using (var direct = new DirectTcp(targets))
await using (var socat = await SocatRelaySystem.StartAsync(targets, settings.WorkDirectory))
await using (var haproxy = await HaproxySpliceRelaySystem.StartAsync(targets, settings.WorkDirectory))
await using (var websockify = await WebsockifySystem.StartAsync(targets, settings.WorkDirectory))
await using (var floor = await KestrelFloorSystem.StartIfMeasuredAsync(settings, targets))
await using (var proxy = await ConsoleProxySystem.StartAsync(settings.ProxyExecutable, redis, targets, settings.WorkDirectory))
await using (var proxyTls = await ConsoleProxySystem.StartAsync(settings.ProxyExecutable, redis, tlsTargets, settings.WorkDirectory, targetCaFile))
await using (var proxyWss = await ConsoleProxySystem.StartAsync(settings.ProxyExecutable, redis, targets, settings.WorkDirectory, serving: ProxyCertificate.Create(settings.WorkDirectory)))
await using (var baselineProxy = settings.BaselineExecutable is { } baselineExecutable && settings.Measures("sessions")
    ? await ConsoleProxySystem.StartAsync(baselineExecutable, redis, targets, settings.WorkDirectory, name: $"consoleproxy baseline {settings.BaselineLabel}")
    : null)
{
    ISystemUnderTest[] systems = [.. new ISystemUnderTest?[] { direct, socat, haproxy, websockify, floor, proxy, proxyWss, proxyTls }.OfType<ISystemUnderTest>().Where(system => settings.Includes(system.Name))];
    if (settings.Measures("sessions"))
    {
        // Every system opens sessions unmeasured first, until its CPU per session settles, so no run times the JIT
        // compiling the session path (a proxy serves for days; its first seconds are not its rate). See SessionWarmUp.
        foreach (var system in systems.Where(system => system != proxyWss).Append(baselineProxy).OfType<ISystemUnderTest>())
        {
            var (spent, settled) = await SessionWarmUp.RunAsync(system, settings.SessionWarmUpSlice, settings.SessionWarmUpMinimum, settings.SessionWarmUpLimit);
            Progress($"warm-up: {system.Name}: new sessions for {spent.TotalSeconds:0} s, not counted" + (settled is { } cpu ? $" (last slice {cpu:0.000} CPU ms per session)" : string.Empty));
            await Task.Delay(500);
        }
    }

    for (var run = 1; run <= settings.Runs; run++)
    {
        // Systems take turns within a run, so a burst of load from elsewhere on the machine hits all of them.
        foreach (var system in systems)
        {
            var targetsOf = system == proxyTls ? tlsTargets : targets;
            if (settings.Measures("throughput"))
            {
                Progress($"run {run}: {system.Name}: throughput");
                s2c1.Add(system.Name, await Throughput.MeasureAsync(system, targetsOf, serverToClient: true, 1, settings.Duration));
                s2c8.Add(system.Name, await Throughput.MeasureAsync(system, targetsOf, serverToClient: true, 8, settings.Duration));
                c2s1.Add(system.Name, await Throughput.MeasureAsync(system, targetsOf, serverToClient: false, 1, settings.Duration));
                c2s8.Add(system.Name, await Throughput.MeasureAsync(system, targetsOf, serverToClient: false, 8, settings.Duration));
            }

            // wss is measured for throughput and its CPU only (issue 19's "TLS at the proxy"); its session start-up is
            // the fleet part's time to first frame.
            var throughputOnly = system == proxyWss;
            if (!throughputOnly && settings.Measures("roundtrip"))
            {
                Progress($"run {run}: {system.Name}: round trip");
                var (median, tail) = await RoundTrip.MeasureAsync(system, settings.RoundTrips);
                p50.Add(system.Name, median);
                p99.Add(system.Name, tail);
            }

            if (!throughputOnly && settings.Measures("sessions"))
            {
                // The baseline build right before today's in odd runs and right after it in even ones, so neither
                // always gets the quieter moment.
                var baselineFirst = run % 2 == 1;
                (double PerSecond, double? CpuPerSession)? baselineRate = null;
                if (system == proxy && baselineProxy is not null && baselineFirst)
                {
                    baselineRate = await MeasureBaselineAsync(baselineProxy, run);
                }

                Progress($"run {run}: {system.Name}: new sessions");
                var (perSecond, failures, cpuPerSession) = await SessionRate.MeasureAsync(system, settings.Duration);
                if (system == proxy && baselineProxy is not null)
                {
                    if (!baselineFirst)
                    {
                        await Task.Delay(500);
                        baselineRate = await MeasureBaselineAsync(baselineProxy, run);
                    }

                    baseline!.Add(baselineRate!.Value.PerSecond, perSecond, baselineFirst);
                    if (baselineRate.Value.CpuPerSession is { } baselineCpu && cpuPerSession is { } currentCpu)
                    {
                        baseline.AddCpu(baselineCpu, currentCpu);
                    }
                }

                rate.Add(system.Name, perSecond);
                if (cpuPerSession is { } milliseconds)
                {
                    cpuSession.Add(system.Name, milliseconds);
                }
                if (failures > 0)
                {
                    notes.Add($"run {run}: {system.Name}: {failures} session(s) failed to open while measuring new sessions per second");
                }
            }

            // Let the relay finish tearing down the aborted sessions before the next system runs.
            await Task.Delay(500);
        }
    }
}

async Task MeasureIdleAsync(WebSocketRelaySystem system, int sessions, int run)
{
    var (count, bytes, cpuPerThousand, failure) = await IdleMemory.MeasureAsync(system, sessions, settings.IdleLimit, settings.IdleCpuWindow);
    held.Add(system.Name, count);
    perIdle.Add(system.Name, bytes / 1024);
    cpuIdle.Add(system.Name, cpuPerThousand);
    if (failure is not null)
    {
        notes.Add($"run {run}: {system.Name} stopped at {count} idle sessions: {failure}");
    }
}

for (var run = 1; run <= settings.Runs && settings.Measures("idle"); run++)
{
    // A fresh process per run and system, so each starts from the same heap.
    if (settings.Includes(MarkdownTable.Websockify))
    {
        Progress($"run {run}: websockify: idle sessions");
        await using var websockify = await WebsockifySystem.StartAsync(targets, settings.WorkDirectory);
        await MeasureIdleAsync(websockify, settings.WebsockifyIdleSessions, run);
    }

    await using (var floor = await KestrelFloorSystem.StartIfMeasuredAsync(settings, targets))
    {
        if (floor is not null)
        {
            Progress($"run {run}: {floor.Name}: idle sessions");
            await MeasureIdleAsync(floor, settings.IdleSessions, run);
        }
    }

    if (settings.Includes(MarkdownTable.Proxy))
    {
        Progress($"run {run}: consoleproxy: idle sessions");
        await using var proxy = await ConsoleProxySystem.StartAsync(settings.ProxyExecutable, redis, targets, settings.WorkDirectory);
        await MeasureIdleAsync(proxy, settings.IdleSessions, run);
    }
}

string? fleet = null;
if (settings.Measures("live") || settings.Measures("search") || settings.Measures("firstframe"))
{
    fleet = await FleetBenchmark.RunAsync(settings, targets, redis, Progress, notes, CancellationToken.None);
}

var loadAfter = (await File.ReadAllTextAsync("/proc/loadavg")).Trim();
Console.WriteLine($"### consoleproxy benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs, median of {settings.Runs} runs)");
Console.WriteLine();
var classic = settings.Measures("throughput") || settings.Measures("roundtrip") || settings.Measures("sessions") || settings.Measures("idle");
if (classic)
{
    Console.WriteLine(MarkdownTable.Render(figures));
}

if (classic)
{
    Console.WriteLine("Against issue 19's targets (ratios to the references in this run):");
    Console.WriteLine();
    Console.WriteLine(FleetTargets.Render(
    [
        new(s2c1.Rate, MarkdownTable.SpliceRelay, 1.0, true, ">= 1.0x haproxy"),
        new(s2c8.Rate, MarkdownTable.SpliceRelay, 1.0, true, ">= 1.0x haproxy"),
        new(c2s1.Rate, MarkdownTable.SpliceRelay, 0.95, true, ">= 0.95x haproxy"),
        new(c2s8.Rate, MarkdownTable.SpliceRelay, 0.95, true, ">= 0.95x haproxy"),
        new(p50, MarkdownTable.Direct, 1.6, false, "<= 1.6x direct TCP"),
        new(rate, MarkdownTable.SpliceRelay, 0.5, true, ">= 0.5x haproxy"),
        new(perIdle, null, 16, false, "<= 16 KiB"),

        // Whether 8,000 are held says something only when 8,000 were asked for (not in --quick).
        .. settings.IdleSessions >= 8000 ? new FleetTargets.Target[] { new(held, null, 8000, true, ">= 8,000") } : [],
    ]));
}

if (classic && settings.Includes(ConsoleProxySystem.TargetTlsName))
{
    Console.WriteLine("What TLS to the VNC server costs (`--target-tls`: the same proxy, its targets behind TLS 1.3, same run):");
    Console.WriteLine();
    Console.WriteLine(VariantTable.Render(ConsoleProxySystem.TargetTlsName, [s2c1.Rate, s2c8.Rate, c2s1.Rate, c2s8.Rate, p50, p99, rate, cpuSession]));
}

if (settings.Measures("throughput") && settings.Includes(ConsoleProxySystem.WssName))
{
    Console.WriteLine("TLS at the proxy (`--cert/--key`, wss; same proxy, same plain targets, same run; the load generator decrypts and encrypts the client's side):");
    Console.WriteLine();
    Console.WriteLine(VariantTable.Render(ConsoleProxySystem.WssName, [.. throughput.SelectMany(t => t.TlsFigures)]));
}
if (settings.Measures("throughput"))
{
    Console.WriteLine("Where the CPU went while measuring throughput:");
    Console.WriteLine();
    Console.WriteLine(MarkdownTable.Render([.. throughput.SelectMany(t => t.CpuFigures)]));
    Console.WriteLine("What each throughput target asks of the whole machine (see Report/CpuBudget.cs):");
    Console.WriteLine();
    Console.WriteLine(CpuBudget.Render(throughput));
}

if (baseline?.RatioOfMedians is not null)
{
    Console.WriteLine(baseline.Render());
}

if (fleet is not null)
{
    Console.WriteLine("### Fleet figures (issue 19)");
    Console.WriteLine();
    Console.WriteLine(fleet);
}

Console.WriteLine($"Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter}. The hypervisor gave {MachineCpu.Read().StolenFractionSince(machineBefore) * 100:0.0}% of this machine's CPU time to other guests during the run.");
if (p50.Median(MarkdownTable.Direct) is { } directRoundTrip)
{
    // Direct TCP is one hop each way; through any relay a round trip is two hops each way. What the
    // target leaves for the relay's extra hops, beside what each relay's hops took in this run.
    var extra = string.Join(", ", new[] { MarkdownTable.TcpRelay, MarkdownTable.SpliceRelay, MarkdownTable.Websockify, MarkdownTable.KestrelFloor, MarkdownTable.Proxy }
        .Where(system => p50.Median(system) is not null)
        .Select(system => $"{system} {p50.Median(system)!.Value - directRoundTrip:0.0} us"));
    notes.Add($"the {RoundTripTargetMicros} us round trip leaves {RoundTripTargetMicros - directRoundTrip:0.0} us for a relay's two extra hops (the target minus direct TCP's p50); what they took here: {extra}");
}

foreach (var note in notes)
{
    Console.WriteLine($"- {note}");
}

if (classic)
{
    Console.WriteLine();
    Console.WriteLine("All runs (consoleproxy): " + string.Join("; ", figures.Select(f => $"{f.Name}: {string.Join(", ", f.Runs(MarkdownTable.Proxy).Select(v => v.ToString(f.Format, CultureInfo.InvariantCulture)))}")));
}

return 0;
