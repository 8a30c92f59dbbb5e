using ConsoleOperator.Kube.Runtime.Informers;
using FsCheck;
using FsCheck.Fluent;

namespace ConsoleOperator.Kube.Tests.Runtime.Informers;

/// <summary>The backoff between an informer's failed lists and watches (<see cref="InformerOptions.BackoffDelay"/>).</summary>
public sealed class InformerBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void Without_jitter_the_delay_doubles_from_800_ms_to_a_30_s_cap()
    {
        var options = new InformerOptions { BackoffJitter = 0 };

        var delays = Enumerable.Range(0, 8).Select(failures => options.BackoffDelay(failures, 0.5).TotalMilliseconds).ToList();

        Assert.Equal([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000], delays);
    }

    [Fact]
    public void After_a_success_the_next_failure_starts_over_from_the_initial_delay()
    {
        Assert.Equal(Initial, new InformerOptions { BackoffJitter = 0 }.BackoffDelay(0, 0.5));
    }

    [Fact]
    public void Jitter_spreads_delays_both_ways_around_the_step()
    {
        var options = new InformerOptions { BackoffJitter = 0.2 };

        // Second step 1.6 s: -20 % and (almost) +20 %.
        Assert.Equal(1280, options.BackoffDelay(1, 0.0).TotalMilliseconds, precision: 3);
        Assert.Equal(1920, options.BackoffDelay(1, 0.999999).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Every_delay_stays_within_the_initial_and_maximum_whatever_the_randomness_and_the_number_of_failures()
    {
        Prop.ForAll(
            Gen.Choose(0, 1_000_000).ToArbitrary(),
            Gen.Choose(0, 99).ToArbitrary(),
            Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (random, jitterPercent, failures) =>
            {
                var delay = new InformerOptions { BackoffJitter = jitterPercent / 100.0 }.BackoffDelay(failures, random / 1_000_001.0);
                return delay >= Initial && delay <= Max;
            }).Check(Config.QuickThrowOnFailure);
    }

    [Theory]
    [InlineData(0, 1000, 0.1)]
    [InlineData(1000, 500, 0.1)]
    [InlineData(100, 1000, 1.0)]
    [InlineData(100, 1000, -0.1)]
    public void Impossible_settings_are_refused(int initialMs, int maxMs, double jitter)
    {
        var options = new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(initialMs), MaxBackoff = TimeSpan.FromMilliseconds(maxMs), BackoffJitter = jitter };

        Assert.ThrowsAny<ArgumentException>(options.Validate);
    }
}
