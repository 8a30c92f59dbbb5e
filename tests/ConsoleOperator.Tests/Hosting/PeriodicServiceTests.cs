using ConsoleOperator.Hosting;
using TestKit.Polling;
using TestKit.Time;

namespace ConsoleOperator.Tests.Hosting;

/// <summary>
/// The operator's one periodic loop on a manual clock: a pass per period and none before, a passing failure logged
/// and retried next period, any other failure ends the loop, cancellation ends it quietly and leaves no timer armed.
/// </summary>
public sealed class PeriodicServiceTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Runs_one_pass_per_period_and_none_before_the_first_period()
    {
        var clock = new ManualTimeProvider();
        var passes = 0;
        var service = new PeriodicService("test loop", Period, _ => { Interlocked.Increment(ref passes); return Task.CompletedTask; }, clock);
        using var stop = new CancellationTokenSource();
        var running = service.RunAsync(stop.Token);

        clock.Advance(Period - TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.Equal(0, Volatile.Read(ref passes));

        clock.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => Volatile.Read(ref passes) == 1, "the first pass ran");
        clock.Advance(Period);
        await Poll.UntilAsync(() => Volatile.Read(ref passes) == 2, "the second pass ran");

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, clock.ArmedTimers);
    }

    [Fact]
    public async Task A_passing_failure_is_retried_next_period()
    {
        var clock = new ManualTimeProvider();
        var passes = 0;
        var service = new PeriodicService(
            "test loop",
            Period,
            _ => Interlocked.Increment(ref passes) == 1 ? throw new TimeoutException("store did not answer") : Task.CompletedTask,
            clock,
            static exception => exception is TimeoutException);
        using var stop = new CancellationTokenSource();
        var running = service.RunAsync(stop.Token);

        clock.Advance(Period);
        await Poll.UntilAsync(() => Volatile.Read(ref passes) == 1, "the failing pass ran");
        Assert.False(running.IsCompleted);
        clock.Advance(Period);
        await Poll.UntilAsync(() => Volatile.Read(ref passes) == 2, "the loop went on after the failure");

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Any_other_failure_ends_the_loop_with_it()
    {
        var clock = new ManualTimeProvider();
        var service = new PeriodicService(
            "test loop", Period, _ => throw new InvalidOperationException("a bug"), clock, static exception => exception is TimeoutException);
        var running = service.RunAsync(CancellationToken.None);

        clock.Advance(Period);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("a bug", failure.Message);
    }

    [Fact]
    public async Task Cancellation_during_a_pass_ends_the_loop_quietly()
    {
        var clock = new ManualTimeProvider();
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new PeriodicService(
            "test loop",
            Period,
            async token =>
            {
                started.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            },
            clock);
        var running = service.RunAsync(stop.Token);

        clock.Advance(Period);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_period_that_is_not_positive_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeriodicService("test loop", TimeSpan.Zero, _ => Task.CompletedTask, new ManualTimeProvider()));
    }
}
