using ConsoleOperator.Kube.Runtime.Election;
using TestKit.Polling;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

public sealed class LeaderElectorTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    // Virtual time a busy machine may add when a thread-pool continuation runs a few clock steps late.
    private static readonly TimeSpan SchedulingSlack = TimeSpan.FromSeconds(1);

    private readonly ManualTimeProvider _clock = new();
    private readonly InMemoryLease _lease;

    public LeaderElectorTests() => _lease = new InMemoryLease(_clock);

    [Fact]
    public async Task A_lone_candidate_creates_the_lease_and_renews_it_every_retry_period()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        await Poll.UntilAsync(() => a.Started && a.Elector.IsLeader, "a leads");

        var created = _lease.Current!;
        Assert.Equal("a", created.Spec.HolderIdentity);
        Assert.Equal(15, created.Spec.LeaseDurationSeconds);
        Assert.Equal(0, created.Spec.LeaseTransitions);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, created.Spec.AcquireTime);
        Assert.Equal(created.Spec.AcquireTime, created.Spec.RenewTime);

        var writes = _lease.Writes.Count;
        await Eventually.AdvanceUntilAsync(_clock, () => _lease.Writes.Count > writes, Step, RetryPeriod + SchedulingSlack, "a renewal");

        var renewed = _lease.Current!;
        Assert.Equal(created.Spec.AcquireTime, renewed.Spec.AcquireTime);
        Assert.True(renewed.Spec.RenewTime > created.Spec.RenewTime);
        Assert.NotEqual(created.Metadata.ResourceVersion, renewed.Metadata.ResourceVersion);
        Assert.Equal(0, renewed.Spec.LeaseTransitions);
        Assert.True(a.Elector.IsLeader);
        Assert.Equal(["a"], a.ObservedLeaders);
    }

    [Fact]
    public async Task With_skewed_clocks_the_second_candidate_waits_while_the_leader_renews_and_takes_over_only_after_the_lease_duration_it_observed()
    {
        // a's wall clock is an hour slow and b's an hour fast: judged by renewTime, a's lease would look two hours stale to b.
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.FromHours(-1));
        await Poll.UntilAsync(() => a.Elector.IsLeader, "a leads");
        await using var b = new Candidate("b", _lease, _clock, TimeSpan.FromHours(1));

        await Eventually.AdvanceAsync(_clock, TimeSpan.FromSeconds(40), Step);
        Assert.True(a.Elector.IsLeader);
        Assert.False(b.Started);
        Assert.False(b.Elector.IsLeader);
        Assert.Equal("a", b.Elector.ObservedLeader);
        Assert.Equal(["a"], b.ObservedLeaders);

        // a stops renewing (its API server connection is gone).
        a.Store.Unreachable = true;
        var lastRenewal = _lease.LastWriteBy("a");
        await Eventually.AdvanceUntilAsync(_clock, () => b.Started, Step, TimeSpan.FromSeconds(30), "b taking over");
        var takeover = _lease.LastWriteBy("b");

        // a's workers stopped at its renew deadline, before b could take over at lease expiry by b's own observation.
        Assert.True(a.Lost);
        Assert.False(a.Elector.IsLeader);
        Assert.InRange(a.LostAt - lastRenewal, RenewDeadline - Step, RenewDeadline);
        Assert.True(a.LostAt < takeover);
        // b sees a's last renewal on its next poll (within a retry period) and takes over on the first poll after that plus the lease duration.
        Assert.InRange(takeover - lastRenewal, LeaseDuration, LeaseDuration + RetryPeriod + RetryPeriod + SchedulingSlack);
        await a.Run.WaitAsync(TimeSpan.FromSeconds(10));

        var taken = _lease.Current!;
        Assert.Equal("b", taken.Spec.HolderIdentity);
        Assert.Equal(1, taken.Spec.LeaseTransitions);
        Assert.Equal(LeaderElector.MicroTime(_clock.GetUtcNow() + TimeSpan.FromHours(1)), taken.Spec.AcquireTime);
        Assert.True(b.Elector.IsLeader);
        Assert.Equal(["a", "b"], b.ObservedLeaders);
    }

    [Fact]
    public async Task Renewal_failures_beyond_the_renew_deadline_cancel_leadership_the_moment_it_passes()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        var leadership = await a.Leadership.WaitAsync(TimeSpan.FromSeconds(10));

        a.Store.Unreachable = true;
        var lastRenewal = _lease.LastWriteBy("a");
        await Eventually.AdvanceUntilAsync(_clock, () => leadership.IsCancellationRequested, Step, TimeSpan.FromSeconds(20), "leadership lost");

        Assert.InRange(a.LostAt - lastRenewal, RenewDeadline - Step, RenewDeadline);
        Assert.False(a.Elector.IsLeader);
        await a.Run.WaitAsync(TimeSpan.FromSeconds(10));

        // Nothing was written while unreachable: the lease still names a, and simply expires.
        Assert.Equal("a", _lease.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Renewal_failures_shorter_than_the_renew_deadline_keep_leadership()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        var leadership = await a.Leadership.WaitAsync(TimeSpan.FromSeconds(10));

        a.Store.Unreachable = true;
        await Eventually.AdvanceAsync(_clock, TimeSpan.FromSeconds(6), Step);
        a.Store.Unreachable = false;
        await Eventually.AdvanceAsync(_clock, TimeSpan.FromSeconds(30), Step);

        Assert.False(leadership.IsCancellationRequested);
        Assert.True(a.Elector.IsLeader);
        Assert.Equal("a", _lease.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Shutting_down_releases_the_lease_so_the_other_candidate_takes_over_on_its_next_try()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        var leadership = await a.Leadership.WaitAsync(TimeSpan.FromSeconds(10));
        await using var b = new Candidate("b", _lease, _clock, TimeSpan.Zero);
        await Eventually.AdvanceAsync(_clock, TimeSpan.FromSeconds(5), Step);

        await ShutDownAndAssertReleasedAsync(a, leadership);

        var waited = await Eventually.AdvanceUntilAsync(_clock, () => b.Started, Step, TimeSpan.FromSeconds(10), "b taking over");
        Assert.True(waited <= RetryPeriod + SchedulingSlack, $"b took {waited} to take a released lease");
        Assert.Equal("b", _lease.Current!.Spec.HolderIdentity);
        Assert.Equal(1, _lease.Current!.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task Shutting_down_releases_the_lease_even_when_the_last_renewal_landed_but_its_answer_was_lost()
    {
        // CI saw this on a real API server: SIGTERM cancelled a renewal the server had already applied, so the elector's
        // copy of the lease was one resourceVersion behind, the release met a 409, and the successor waited out the lease.
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        var leadership = await a.Leadership.WaitAsync(TimeSpan.FromSeconds(10));
        a.Store.LoseNextReply();
        var writes = _lease.Writes.Count;
        await Eventually.AdvanceUntilAsync(_clock, () => _lease.Writes.Count > writes, Step, RetryPeriod + SchedulingSlack, "the renewal whose answer is lost");
        Assert.True(a.Elector.IsLeader);

        await ShutDownAndAssertReleasedAsync(a, leadership);
    }

    [Fact]
    public async Task A_conflicting_write_that_leaves_the_lease_ours_is_re_read_and_renewal_succeeds()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        var leadership = await a.Leadership.WaitAsync(TimeSpan.FromSeconds(10));

        // Someone else touches the object between a's read and a's write: a's write gets a 409.
        a.Store.BeforeUpdate = () => _lease.WriteExternally(spec => spec);
        var writes = _lease.Writes.Count;
        await Eventually.AdvanceUntilAsync(_clock, () => _lease.Writes.Count >= writes + 2, Step, RetryPeriod + SchedulingSlack, "the external write and a's renewal");

        Assert.Null(a.Store.BeforeUpdate);
        Assert.False(leadership.IsCancellationRequested);
        Assert.Equal("a", _lease.Current!.Spec.HolderIdentity);
        Assert.True(_lease.Current.Spec.RenewTime > _lease.Writes[writes].Record.Spec.RenewTime);
    }

    [Fact]
    public async Task A_conflict_that_reveals_another_holder_ends_leadership_at_once()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        var leadership = await a.Leadership.WaitAsync(TimeSpan.FromSeconds(10));

        a.Store.BeforeUpdate = () => _lease.WriteExternally(spec => InMemoryLease.Spec("intruder", spec.LeaseDurationSeconds ?? 15, _clock.GetUtcNow(), (spec.LeaseTransitions ?? 0) + 1));
        var start = _clock.GetUtcNow();
        await Eventually.AdvanceUntilAsync(_clock, () => leadership.IsCancellationRequested, Step, RetryPeriod + SchedulingSlack, "a stepping down");

        // At once: on the renewal that met the conflict, long before the renew deadline would have passed.
        Assert.True(a.LostAt - start <= RetryPeriod + SchedulingSlack);
        Assert.Equal("intruder", _lease.Current!.Spec.HolderIdentity);
        await a.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("intruder", _lease.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Two_candidates_racing_for_a_missing_lease_end_with_exactly_one_leader()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        await using var b = new Candidate("b", _lease, _clock, TimeSpan.Zero);

        await Eventually.AdvanceUntilAsync(_clock, () => a.Started || b.Started, Step, TimeSpan.FromSeconds(5), "someone leading");
        await Eventually.AdvanceAsync(_clock, TimeSpan.FromSeconds(30), Step);

        Assert.True(a.Elector.IsLeader ^ b.Elector.IsLeader);
        Assert.Equal(a.Elector.IsLeader ? "a" : "b", _lease.Current!.Spec.HolderIdentity);
        Assert.Equal(0, _lease.Current!.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task When_the_work_returns_on_its_own_leadership_is_given_up_and_the_lease_released()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero, work: _ => Task.CompletedTask);

        await a.Run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(a.Elector.IsLeader);
        Assert.Null(_lease.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task When_the_work_fails_RunAsync_rethrows_after_releasing_the_lease()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero, work: _ => throw new InvalidOperationException("worker crashed"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => a.Run.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("worker crashed", error.Message);
        Assert.Null(_lease.Current!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Cancelled_before_acquiring_returns_without_running_the_work()
    {
        _lease.WriteExternally(_ => InMemoryLease.Spec("other", 15, _clock.GetUtcNow(), 3));
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        await Eventually.AdvanceAsync(_clock, TimeSpan.FromSeconds(5), Step);

        await a.ShutDownAsync();
        await a.Run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(a.Started);
        Assert.Equal("other", _lease.Current!.Spec.HolderIdentity);
        Assert.Equal(["other"], a.ObservedLeaders);
    }

    [Fact]
    public async Task With_jitter_a_candidate_still_takes_an_expired_lease_within_the_jittered_retry()
    {
        _lease.WriteExternally(_ => InMemoryLease.Spec("gone", 15, _clock.GetUtcNow(), 7));
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero, jitter: LeaderElectionOptions.DefaultJitterFactor);

        var waited = await Eventually.AdvanceUntilAsync(_clock, () => a.Started, Step, TimeSpan.FromSeconds(30), "a taking the expired lease");

        Assert.InRange(waited, LeaseDuration, LeaseDuration + (RetryPeriod * (1 + LeaderElectionOptions.DefaultJitterFactor)) + SchedulingSlack);
        Assert.Equal(8, _lease.Current!.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task RunAsync_cannot_run_twice_at_once()
    {
        await using var a = new Candidate("a", _lease, _clock, TimeSpan.Zero);
        await a.Leadership.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<InvalidOperationException>(() => a.Elector.RunAsync(_ => Task.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public void Lease_times_are_truncated_to_microseconds_in_UTC()
    {
        var value = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var truncated = LeaderElector.MicroTime(value);

        Assert.Equal(new DateTime(2026, 3, 4, 3, 6, 7, DateTimeKind.Utc).AddTicks(1_234_560), truncated);
        Assert.Equal(DateTimeKind.Utc, truncated.Kind);
        Assert.Equal(truncated, LeaderElector.MicroTime(truncated));
    }

    /// <summary>Stops <paramref name="candidate"/>, which led, and checks it gave the lease back as client-go does: no holder, 1 s.</summary>
    private async Task ShutDownAndAssertReleasedAsync(Candidate candidate, CancellationToken leadership)
    {
        await candidate.ShutDownAsync();
        await candidate.Run.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(leadership.IsCancellationRequested);
        var released = _lease.Current!;
        Assert.Null(released.Spec.HolderIdentity);
        Assert.Equal(1, released.Spec.LeaseDurationSeconds);
    }
}
