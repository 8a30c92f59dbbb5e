using ConsoleOperator.Kube.Runtime.Queue;

namespace ConsoleOperator.Kube.Tests.Runtime.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void Exponential_limiter_doubles_from_the_base_delay_up_to_the_cap()
    {
        var limiter = Exponential();

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));
        Assert.Equal(3, limiter.NumRequeues("a"));

        // 5 ms * 2^18 = 1310.72 s is past the cap.
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.DelayFor(18));
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 131072), limiter.DelayFor(17));
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.DelayFor(int.MaxValue));
    }

    [Fact]
    public void Exponential_limiter_Forget_starts_the_key_over()
    {
        var limiter = Exponential();
        limiter.When("a");
        limiter.When("a");

        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
    }

    [Fact]
    public void Token_bucket_allows_a_burst_then_spaces_retries_at_its_rate()
    {
        var clock = new ManualTimeProvider();
        var limiter = Bucket(10, 100, clock);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(Tick, limiter.When("k" + i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.When("y"));

        // A second later ten tokens came back, two of which were already promised.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Tick, limiter.When("z"));
    }

    [Fact]
    public void Token_bucket_never_holds_more_than_its_burst()
    {
        var clock = new ManualTimeProvider();
        var limiter = Bucket(10, 2, clock);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(Tick, limiter.When("a"));
        Assert.Equal(Tick, limiter.When("b"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When("c"));
    }

    [Fact]
    public void A_retry_waits_for_the_stricter_of_backoff_and_bucket_and_counts_in_both()
    {
        var clock = new ManualTimeProvider();
        var limiter = new BackoffRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), 1, 1, clock);

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.When("a"));
        Assert.Equal(2, limiter.NumRequeues("a"));

        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
    }

    [Fact]
    public void Default_controller_limiter_is_exponential_5ms_to_1000s_with_a_10_qps_burst_100_bucket()
    {
        var clock = new ManualTimeProvider();
        var limiter = new BackoffRateLimiter<string>(clock);

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        for (var i = 0; i < 25; i++)
        {
            limiter.When("a");
        }

        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("a"));

        // 99 more tokens of the refilled bucket, then the 10 qps pace shows through for a fresh key.
        for (var i = 0; i < 99; i++)
        {
            limiter.When("fresh" + i);
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When("b"));
    }

    [Fact]
    public void Limiters_refuse_nonsensical_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffRateLimiter<string>(TimeSpan.Zero, TimeSpan.FromSeconds(1), null, 1, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffRateLimiter<string>(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), null, 1, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(0, 1, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(double.PositiveInfinity, 1, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bucket(1, 0, TimeProvider.System));
    }

    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static BackoffRateLimiter<string> Exponential() =>
        new(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), null, 1, TimeProvider.System);

    /// <summary>The global bucket alone: a backoff of one tick, below anything the bucket asks.</summary>
    private static BackoffRateLimiter<string> Bucket(double tokensPerSecond, int burst, TimeProvider clock) =>
        new(Tick, Tick, tokensPerSecond, burst, clock);
}
