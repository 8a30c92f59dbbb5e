using System.Collections.Concurrent;
using ConsoleOperator.Kube.Runtime.Queue;
using FsCheck;
using FsCheck.Fluent;

namespace ConsoleOperator.Kube.Tests.Runtime.Queue;

/// <summary>Properties of the work queue over random operation sequences, checked against a simple model.</summary>
public sealed class WorkQueuePropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(200);

    private enum OpKind
    {
        Add,
        Get,
        Done,
    }

    private readonly record struct Op(OpKind Kind, int Key);

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (5, Gen.Choose(0, 5).Select(key => new Op(OpKind.Add, key))),
        (3, Gen.Constant(new Op(OpKind.Get, 0))),
        (3, Gen.Choose(0, 5).Select(index => new Op(OpKind.Done, index))));

    [Fact]
    public void Adding_any_sequence_of_keys_queues_each_key_at_most_once()
    {
        AsyncProperty.ForAll(
            Gen.Choose(0, 9).ListOf().ToArbitrary(),
            async keys =>
            {
                using var queue = new WorkQueue<int>("dedup", timeProvider: new ManualTimeProvider());
                foreach (var key in keys)
                {
                    queue.Add(key);
                }

                var expected = keys.Distinct().ToList();
                var got = new List<int>();
                while (queue.Length > 0)
                {
                    got.Add((await queue.GetAsync(CancellationToken.None)).Key);
                }

                // First-come order, each key once.
                return queue.Length == 0 && got.SequenceEqual(expected);
            }).Check(Quick);
    }

    [Fact]
    public void Any_sequence_of_Add_Get_Done_matches_the_model_and_never_hands_out_a_held_key()
    {
        AsyncProperty.ForAll(
            OpGen.ListOf().ToArbitrary(),
            async ops =>
            {
                using var queue = new WorkQueue<int>("model", timeProvider: new ManualTimeProvider());
                var ready = new List<int>();
                var dirty = new HashSet<int>();
                var held = new List<int>();
                foreach (var op in ops)
                {
                    switch (op.Kind)
                    {
                        case OpKind.Add:
                            queue.Add(op.Key);
                            if (dirty.Add(op.Key) && !held.Contains(op.Key))
                            {
                                ready.Add(op.Key);
                            }

                            break;
                        case OpKind.Get when ready.Count > 0:
                            var pendingGet = queue.GetAsync(CancellationToken.None);

                            // A key is ready, so the answer must not need any waiting.
                            if (!pendingGet.IsCompleted)
                            {
                                return false;
                            }

                            var item = await pendingGet;
                            if (item.Key != ready[0] || held.Contains(item.Key))
                            {
                                return false;
                            }

                            held.Add(ready[0]);
                            dirty.Remove(ready[0]);
                            ready.RemoveAt(0);
                            break;
                        case OpKind.Done when held.Count > 0:
                            var key = held[op.Key % held.Count];
                            held.Remove(key);
                            queue.Done(key);
                            if (dirty.Contains(key))
                            {
                                ready.Add(key);
                            }

                            break;
                    }

                    if (queue.Length != ready.Count)
                    {
                        return false;
                    }
                }

                return true;
            }).Check(Quick);
    }

    [Fact]
    public void Concurrent_workers_never_hold_the_same_key_and_every_add_is_processed_after_it_happened()
    {
        var schedule =
            from workers in Gen.Choose(2, 6)
            from adds in Gen.Choose(0, 7).ListOf()
            from yields in Gen.Choose(0, 3).ArrayOf()
            select (workers, adds, yields);

        AsyncProperty.ForAll(
            schedule.ToArbitrary(),
            run => RunConcurrentScheduleAsync(run.workers, [.. run.adds], run.yields)).Check(Config.QuickThrowOnFailure.WithMaxTest(60));
    }

    [Fact]
    public void For_random_AddAfter_sequences_each_key_becomes_due_at_its_earliest_pending_deadline()
    {
        var step =
            from isAdvance in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
            from key in Gen.Choose(0, 4)
            from milliseconds in Gen.Choose(1, 5000)
            select (isAdvance, key, milliseconds);

        AsyncProperty.ForAll(
            step.ListOf().ToArbitrary(),
            async steps =>
            {
                var clock = new ManualTimeProvider();
                using var queue = new WorkQueue<int>("deadlines", timeProvider: clock);
                var start = clock.GetUtcNow();
                var pending = new Dictionary<int, DateTimeOffset>();

                foreach (var (isAdvance, key, milliseconds) in steps)
                {
                    if (!isAdvance)
                    {
                        var deadline = clock.GetUtcNow().AddMilliseconds(milliseconds);
                        queue.AddAfter(key, TimeSpan.FromMilliseconds(milliseconds));
                        if (!pending.TryGetValue(key, out var existing) || deadline < existing)
                        {
                            pending[key] = deadline;
                        }

                        continue;
                    }

                    if (!await AdvanceAndCheckAsync(clock, queue, pending, clock.GetUtcNow().AddMilliseconds(milliseconds)))
                    {
                        return false;
                    }
                }

                // Let everything still pending fire, one deadline at a time.
                while (pending.Count > 0)
                {
                    if (!await AdvanceAndCheckAsync(clock, queue, pending, pending.Values.Min()))
                    {
                        return false;
                    }
                }

                return queue.Length == 0 && queue.DelayedCount == 0 && clock.GetUtcNow() >= start;
            }).Check(Quick);
    }

    /// <summary>
    /// Moves the clock to <paramref name="target"/> one model deadline at a time: a millisecond before
    /// each deadline its keys must not be due yet, at the deadline exactly those keys must be.
    /// </summary>
    private static async Task<bool> AdvanceAndCheckAsync(ManualTimeProvider clock, WorkQueue<int> queue, Dictionary<int, DateTimeOffset> pending, DateTimeOffset target)
    {
        while (true)
        {
            var due = pending.Where(entry => entry.Value <= target).Select(entry => entry.Value).DefaultIfEmpty(target).Min();
            var almost = due.AddMilliseconds(-1);
            if (almost > clock.GetUtcNow())
            {
                clock.Advance(almost - clock.GetUtcNow());
                if (queue.Length != 0)
                {
                    return false;
                }
            }

            clock.Advance(due - clock.GetUtcNow());
            var expected = pending.Where(entry => entry.Value == due).Select(entry => entry.Key).OrderBy(key => key).ToList();
            foreach (var key in expected)
            {
                pending.Remove(key);
            }

            var got = new List<int>();
            while (queue.Length > 0)
            {
                var item = await queue.GetAsync(CancellationToken.None);
                got.Add(item.Key);
                queue.Done(item.Key);
            }

            got.Sort();
            if (!got.SequenceEqual(expected))
            {
                return false;
            }

            if (due >= target)
            {
                return true;
            }
        }
    }

    private static async Task<bool> RunConcurrentScheduleAsync(int workerCount, int[] adds, int[] yields)
    {
        using var queue = new WorkQueue<int>("concurrent", timeProvider: new ManualTimeProvider());
        var held = new ConcurrentDictionary<int, int>();
        var lastAdd = new ConcurrentDictionary<int, long>();
        var lastStart = new ConcurrentDictionary<int, long>();
        long stamp = 0;
        var violations = 0;

        async Task WorkerAsync(int worker)
        {
            var turn = worker;
            while (true)
            {
                var item = await queue.GetAsync(CancellationToken.None);
                if (item.IsShutDown)
                {
                    return;
                }

                if (!held.TryAdd(item.Key, worker))
                {
                    Interlocked.Increment(ref violations);
                }

                lastStart[item.Key] = Interlocked.Increment(ref stamp);
                for (var i = 0; i < (yields.Length == 0 ? 1 : yields[turn++ % yields.Length]); i++)
                {
                    await Task.Yield();
                }

                held.TryRemove(item.Key, out _);
                queue.Done(item.Key);
            }
        }

        var workers = Enumerable.Range(0, workerCount).Select(worker => Task.Run(() => WorkerAsync(worker))).ToArray();
        for (var i = 0; i < adds.Length; i++)
        {
            lastAdd[adds[i]] = Interlocked.Increment(ref stamp);
            queue.Add(adds[i]);
            if (yields.Length > 0 && yields[i % yields.Length] == 0)
            {
                await Task.Yield();
            }
        }

        // As Controller<T> stops: keys still queued, and dirty keys a worker's Done puts back, are handed out after
        // the shut-down; the workers end once nothing is left.
        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));

        // Every key was (re)processed after its last add: a collapsed or dirty add is never lost.
        var noneLost = lastAdd.All(entry => lastStart.TryGetValue(entry.Key, out var started) && started > entry.Value);
        return violations == 0 && noneLost;
    }
}
