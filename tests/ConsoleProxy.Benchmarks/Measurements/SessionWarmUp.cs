using ConsoleProxy.Benchmarks.Systems;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// Unmeasured new sessions before the first run, until the relay's CPU per session settles. Tiered compilation keeps
/// recompiling the session path for 20-40 s after the first sessions (a profile of the proxy over its first 40 s put a
/// fifth of its CPU in the JIT, and run 1 of 8 measured 1.08 CPU ms per session against 0.43-0.57 in runs 2-8), so a
/// fixed short warm-up left the first runs timing the compiler, and each build's runs depended on how far its tiering
/// had got. Slices of new sessions run for at least a minimum time, then until two in a row cost the same CPU per
/// session within a tolerance (the minimum, because on a busy machine two slices in a row can agree while the JIT is
/// still at work: a 9 s warm-up ended at 1.3 CPU ms per session, twice the steady state).
/// </summary>
public static class SessionWarmUp
{
    private const double Tolerance = 0.10;

    /// <summary>Warms <paramref name="system"/> up; returns how long it took and the CPU per session of the last slice (null: no relay process).</summary>
    public static async Task<(TimeSpan Spent, double? CpuMillisecondsPerSession)> RunAsync(ISystemUnderTest system, TimeSpan slice, TimeSpan minimum, TimeSpan limit)
    {
        var spent = TimeSpan.Zero;
        double? previous = null;
        while (true)
        {
            var (_, _, cpuPerSession) = await SessionRate.MeasureAsync(system, slice);
            spent += slice;
            // No relay process (direct TCP): nothing to warm. No session completed in the slice: keep going.
            if (system.ProcessId is null || spent >= limit || (cpuPerSession is { } current && spent >= minimum && Settled(previous, current)))
            {
                return (spent, cpuPerSession);
            }

            previous = cpuPerSession;
        }
    }

    /// <summary>Whether a slice's CPU per session is within the tolerance of the slice before it (none before: not yet).</summary>
    public static bool Settled(double? previous, double current) =>
        previous is { } last && Math.Abs(current - last) <= Tolerance * last;
}
