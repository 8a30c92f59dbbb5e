using ConsoleOperator.Kube.Runtime.Informers;
using FsCheck;
using FsCheck.Fluent;

namespace ConsoleOperator.Kube.Tests.Runtime.Informers;

public sealed class JitteredBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Without_jitter_the_delay_doubles_from_800_ms_to_a_30_s_cap()
    {
        var backoff = new JitteredBackoff(Initial, Max, jitter: 0);

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalMilliseconds).ToList();

        Assert.Equal([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000], delays);
    }

    [Fact]
    public void Reset_starts_over_from_the_initial_delay()
    {
        var backoff = new JitteredBackoff(Initial, Max, jitter: 0);
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(Initial, backoff.Next());
    }

    [Fact]
    public void Jitter_spreads_delays_both_ways_around_the_step()
    {
        var low = new JitteredBackoff(Initial, Max, 0.2, () => 0.0);
        var high = new JitteredBackoff(Initial, Max, 0.2, () => 0.999999);
        low.Next();
        high.Next();

        // Second step 1.6 s: -20 % and (almost) +20 %.
        Assert.Equal(1280, low.Next().TotalMilliseconds, precision: 3);
        Assert.Equal(1920, high.Next().TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Every_delay_stays_within_the_initial_and_maximum_whatever_the_randomness_and_the_number_of_failures()
    {
        Prop.ForAll(
            Gen.Choose(0, 1_000_000).ArrayOf().ToArbitrary(),
            Gen.Choose(0, 99).ToArbitrary(),
            (randoms, jitterPercent) =>
            {
                var index = 0;
                var backoff = new JitteredBackoff(Initial, Max, jitterPercent / 100.0, () => randoms.Length == 0 ? 0.5 : randoms[index++ % randoms.Length] / 1_000_001.0);
                return Enumerable.Range(0, 20).Select(_ => backoff.Next()).All(delay => delay >= Initial && delay <= Max);
            }).Check(Config.QuickThrowOnFailure);
    }

    [Theory]
    [InlineData(0, 1000, 0.1)]
    [InlineData(1000, 500, 0.1)]
    [InlineData(100, 1000, 1.0)]
    [InlineData(100, 1000, -0.1)]
    public void Impossible_settings_are_refused(int initialMs, int maxMs, double jitter)
    {
        Assert.ThrowsAny<ArgumentException>(() => new JitteredBackoff(TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromMilliseconds(maxMs), jitter));
    }
}
