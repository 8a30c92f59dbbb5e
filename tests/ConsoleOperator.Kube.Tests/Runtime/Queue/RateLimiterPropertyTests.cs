using ConsoleOperator.Kube.Runtime.Queue;
using FsCheck;
using FsCheck.Fluent;

namespace ConsoleOperator.Kube.Tests.Runtime.Queue;

public sealed class RateLimiterPropertyTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(1000);
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Backoff_stays_between_5ms_and_1000s_and_doubles_until_the_cap()
    {
        Prop.ForAll(
            Gen.Choose(0, 80).ToArbitrary(),
            failures =>
            {
                var limiter = new BackoffRateLimiter<string>(Base, Cap, null, 1, TimeProvider.System);
                var previous = TimeSpan.Zero;
                for (var i = 0; i <= failures; i++)
                {
                    var delay = limiter.When("key");
                    var bounded = delay >= Base && delay <= Cap;
                    var monotone = delay >= previous;
                    var doublesOrCaps = i == 0 ? delay == Base : delay == Cap || delay == previous * 2;
                    if (!bounded || !monotone || !doublesOrCaps)
                    {
                        return false;
                    }

                    previous = delay;
                }

                limiter.Forget("key");
                return limiter.NumRequeues("key") == 0 && limiter.When("key") == Base;
            }).Check(Quick);
    }

    [Fact]
    public void Each_key_backs_off_on_its_own_count_of_failures_since_its_last_Forget()
    {
        var op =
            from forget in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
            from key in Gen.Choose(0, 3)
            select (forget, key);

        Prop.ForAll(
            op.ListOf().ToArbitrary(),
            ops =>
            {
                var limiter = new BackoffRateLimiter<int>(Base, Cap, null, 1, TimeProvider.System);
                var failures = new int[4];
                foreach (var (forget, key) in ops)
                {
                    if (forget)
                    {
                        limiter.Forget(key);
                        failures[key] = 0;
                        continue;
                    }

                    var expected = Math.Min(Base.TotalMilliseconds * Math.Pow(2, failures[key]), Cap.TotalMilliseconds);
                    if (Math.Abs(limiter.When(key).TotalMilliseconds - expected) > 0.001)
                    {
                        return false;
                    }

                    failures[key]++;
                    if (limiter.NumRequeues(key) != failures[key])
                    {
                        return false;
                    }
                }

                return true;
            }).Check(Quick);
    }

    [Fact]
    public void The_default_limiter_never_answers_below_the_backoff_or_above_the_cap_plus_the_bucket_wait()
    {
        Prop.ForAll(
            Gen.Choose(0, 3).ListOf().ToArbitrary(),
            keys =>
            {
                var clock = new ManualTimeProvider();
                var limiter = new BackoffRateLimiter<int>(clock);
                var counts = new int[4];
                for (var i = 0; i < keys.Count; i++)
                {
                    var key = keys[i];
                    var delay = limiter.When(key);
                    var backoff = Math.Min(5 * Math.Pow(2, counts[key]++), 1_000_000);

                    // The bucket can add at most (retries so far) / 10 qps on top.
                    if (delay.TotalMilliseconds < backoff - 0.001 || delay.TotalMilliseconds > Math.Max(backoff, i * 100.0) + 0.001)
                    {
                        return false;
                    }
                }

                return true;
            }).Check(Quick);
    }
}
