using ConsoleProxy.Benchmarks.Measurements;
using ConsoleProxy.Benchmarks.Systems;
using ConsoleProxy.Benchmarks.Targets;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>
/// The warm-up before the session runs stops when the relay's CPU per session has settled: too early and run 1 times
/// the JIT (and the baseline comparison times two compilers), never and the benchmark does not end.
/// </summary>
public sealed class SessionWarmUpTests
{
    [Theory]
    [InlineData(1.00, 1.09, true)]
    [InlineData(1.00, 0.91, true)]
    [InlineData(1.00, 1.11, false)]
    [InlineData(1.08, 0.48, false)]
    [InlineData(0.48, 0.44, true)]
    public void A_slice_has_settled_within_a_tenth_of_the_one_before(double previous, double current, bool settled) =>
        Assert.Equal(settled, SessionWarmUp.Settled(previous, current));

    [Fact]
    public void The_first_slice_has_nothing_to_settle_against() =>
        Assert.False(SessionWarmUp.Settled(null, 0.5));

    [Fact]
    public async Task A_system_without_a_relay_process_is_warmed_for_one_slice()
    {
        await using var targets = new TargetSet();
        await using var direct = new DirectTcp(targets);

        var (spent, cpu) = await SessionWarmUp.RunAsync(direct, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(200), spent);
        Assert.Null(cpu);
    }
}
