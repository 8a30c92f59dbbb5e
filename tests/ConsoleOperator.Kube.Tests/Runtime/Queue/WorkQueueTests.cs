using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Queue;

namespace ConsoleOperator.Kube.Tests.Runtime.Queue;

public sealed class WorkQueueTests
{
    private readonly ManualTimeProvider _clock = new();

    private WorkQueue<string> NewQueue(BackoffRateLimiter<string>? limiter = null) =>
        new("test", _clock, limiter);

    [Fact]
    public async Task Repeated_adds_of_a_key_collapse_into_one_entry()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Length);
        Assert.Equal("a", (await queue.GetAsync(CancellationToken.None)).Key);
        Assert.Equal("b", (await queue.GetAsync(CancellationToken.None)).Key);
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task A_key_added_while_processing_is_not_handed_out_again_until_Done()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var first = await queue.GetAsync(CancellationToken.None);

        queue.Add("a");
        Assert.Equal(0, queue.Length);
        using var cts = new CancellationTokenSource();
        var second = queue.GetAsync(cts.Token).AsTask();
        await Task.Delay(20);
        Assert.False(second.IsCompleted);

        queue.Done(first.Key);
        Assert.Equal("a", (await second.WaitAsync(TimeSpan.FromSeconds(5))).Key);
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue_the_key()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var item = await queue.GetAsync(CancellationToken.None);
        queue.Done(item.Key);

        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task A_waiting_worker_gets_a_key_added_later()
    {
        using var queue = NewQueue();
        var waiting = queue.GetAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        queue.Add("late");

        Assert.Equal("late", (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Key);
    }

    [Fact]
    public async Task A_cancelled_GetAsync_throws_and_does_not_swallow_the_next_key()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        queue.Add("a");

        Assert.Equal(1, queue.Length);
        Assert.Equal("a", (await queue.GetAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public async Task ShutDown_wakes_idle_workers_and_hands_out_the_keys_still_queued()
    {
        using var queue = NewQueue();
        var idle = queue.GetAsync(CancellationToken.None).AsTask();
        queue.ShutDown();
        Assert.True((await idle.WaitAsync(TimeSpan.FromSeconds(5))).IsShutDown);

        using var other = NewQueue();
        other.Add("queued");
        other.ShutDown();
        other.Add("ignored");

        Assert.True(other.IsShuttingDown);
        Assert.Equal("queued", (await other.GetAsync(CancellationToken.None)).Key);
        var end = await other.GetAsync(CancellationToken.None);
        Assert.True(end.IsShutDown);
        Assert.Throws<InvalidOperationException>(() => end.Key);
    }

    [Fact]
    public async Task AddAfter_makes_the_key_due_only_once_the_delay_has_passed()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));

        _clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal(0, queue.Length);
        Assert.Equal(1, queue.DelayedCount);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Length);
        Assert.Equal(0, queue.DelayedCount);
        Assert.Equal("a", (await queue.GetAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public void For_the_same_key_the_earliest_deadline_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.AddAfter("a", TimeSpan.FromSeconds(60));

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.Length);

        // The superseded deadlines must not bring the key back a second time.
        _clock.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(1, queue.Length);
        Assert.Equal(0, _clock.ArmedTimers);
    }

    [Fact]
    public void An_immediate_Add_supersedes_a_pending_delayed_add()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(30));
        queue.Add("a");

        Assert.Equal(1, queue.Length);
        Assert.Equal(0, queue.DelayedCount);
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public void A_non_positive_delay_is_an_immediate_add()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.Zero);
        queue.AddAfter("b", TimeSpan.FromSeconds(-1));

        Assert.Equal(2, queue.Length);
    }

    [Fact]
    public void ShutDown_drops_delayed_keys_and_disarms_the_timer()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.ShutDown();

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, queue.Length);
        Assert.Equal(0, _clock.ArmedTimers);
    }

    [Fact]
    public void AddRateLimited_backs_off_exponentially_per_key_and_Forget_resets_it()
    {
        using var queue = NewQueue(new BackoffRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), null, 1, _clock));

        queue.AddRateLimited("a");
        Assert.Equal(1, queue.NumRequeues("a"));
        _clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, queue.Length);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Length);

        // Second failure: 10 ms.
        queue.AddRateLimited("b");
        queue.AddRateLimited("b");
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(2, queue.Length);
        Assert.Equal(2, queue.NumRequeues("b"));

        queue.Forget("b");
        Assert.Equal(0, queue.NumRequeues("b"));
    }

    [Fact]
    public async Task Keys_are_handed_out_in_the_order_they_became_due()
    {
        using var queue = NewQueue();
        queue.AddAfter("late", TimeSpan.FromSeconds(2));
        queue.AddAfter("early", TimeSpan.FromSeconds(1));
        queue.Add("now");

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("now", (await queue.GetAsync(CancellationToken.None)).Key);
        Assert.Equal("early", (await queue.GetAsync(CancellationToken.None)).Key);
        Assert.Equal("late", (await queue.GetAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public async Task The_queue_works_with_object_keys()
    {
        using var queue = new WorkQueue<ObjectKey>("objects", timeProvider: _clock);
        queue.Add(new ObjectKey("ns", "a"));
        queue.Add(new ObjectKey("ns", "a"));

        Assert.Equal(1, queue.Length);
        Assert.Equal("ns/a", (await queue.GetAsync(CancellationToken.None)).Key.ToString());
    }

    [Fact]
    public async Task Workers_on_the_system_clock_get_delayed_keys_without_a_manual_tick()
    {
        using var queue = new WorkQueue<string>("system");
        queue.AddAfter("a", TimeSpan.FromMilliseconds(20));

        var item = await queue.GetAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("a", item.Key);
    }
}
