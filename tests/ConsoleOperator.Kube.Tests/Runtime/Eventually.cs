namespace ConsoleOperator.Kube.Tests.Runtime;

/// <summary>
/// Bounded waits on a <see cref="ManualTimeProvider"/>: virtual time moves in steps, with a short real pause between
/// steps so the work the timers started on other threads (worker tasks, timer continuations) gets to run.
/// </summary>
public static class Eventually
{
    /// <summary>
    /// Advances the manual clock in <paramref name="step"/>s (letting other threads catch up
    /// between steps) until <paramref name="condition"/> holds; fails after <paramref name="limit"/>
    /// of virtual time. Returns the virtual time it took.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilAsync(
        ManualTimeProvider clock, Func<bool> condition, TimeSpan step, TimeSpan limit, string because)
    {
        var start = clock.GetUtcNow();
        while (!condition())
        {
            if (clock.GetUtcNow() - start >= limit)
            {
                Assert.Fail($"{because} did not happen within {limit} of virtual time.");
            }

            clock.Advance(step);
            await Settle();
        }

        return clock.GetUtcNow() - start;
    }

    /// <summary>Advances the clock in steps, letting other threads run between steps.</summary>
    public static async Task AdvanceAsync(ManualTimeProvider clock, TimeSpan total, TimeSpan step)
    {
        var remaining = total;
        while (remaining > TimeSpan.Zero)
        {
            var by = remaining < step ? remaining : step;
            clock.Advance(by);
            remaining -= by;
            await Settle();
        }
    }

    /// <summary>A short real pause so continuations queued to the thread pool get to run.</summary>
    public static Task Settle() => Task.Delay(3, CancellationToken.None);
}
