using ConsoleProxy.Benchmarks.Measurements;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// A hashed timer wheel of 1 ms slots on one thread of its own, pacing every message of every live
/// console: thousands of sessions cost one sleeping thread and one list entry each, not a timer or a
/// Task.Delay per message. Only this thread touches the slots, so there is no locking. Sends that the
/// socket takes at once complete right here; the rest finish on the thread pool (see <see cref="PacedSends"/>,
/// which records how late each send started).
/// </summary>
public sealed class PacingWheel
{
    private const int Slots = 1024;

    private readonly List<(IPaced Item, long DueMicros)>[] _slots = [.. Enumerable.Range(0, Slots).Select(_ => new List<(IPaced, long)>())];
    private readonly ConsoleMessages _clock;
    // The slot being fired is swapped with this one, so firing a slot copies and allocates nothing.
    private List<(IPaced Item, long DueMicros)> _firing = [];
    private volatile bool _stopping;
    private long _earliestMillis = long.MaxValue;
    private Task<bool>? _running;

    public PacingWheel(ConsoleMessages clock)
    {
        _clock = clock;
    }

    /// <summary>Adds an item before the wheel starts; its first firing is <paramref name="firstDueMicros"/> from the clock's origin.</summary>
    public void Add(IPaced item, long firstDueMicros)
    {
        if (_running is not null)
        {
            throw new InvalidOperationException("items are added before the wheel starts");
        }

        Insert(item, firstDueMicros);
        _earliestMillis = Math.Min(_earliestMillis, firstDueMicros / 1000);
    }

    public void Start() => _running = DedicatedThread.RunAsync("pacing wheel", Run);

    public async Task StopAsync()
    {
        _stopping = true;
        if (_running is not null)
        {
            await _running;
        }
    }

    private bool Run()
    {
        // From the earliest item on: one due before the thread got going fires at once, not a turn of the wheel later.
        var done = Math.Min(_earliestMillis, _clock.ElapsedMicros() / 1000) - 1;
        while (!_stopping)
        {
            // Slots wholly in the past fire everything in them; the current millisecond's slot fires only what is
            // due by now, so no message leaves before the time it carries.
            var nowMicros = _clock.ElapsedMicros();
            var nowMillis = nowMicros / 1000;
            while (done < nowMillis - 1 && !_stopping)
            {
                done++;
                FireSlot(done, long.MaxValue);
            }

            if (_stopping)
            {
                // A wheel seconds behind on a saturated machine would otherwise send all it owes before stopping.
                break;
            }

            FireSlot(nowMillis, nowMicros);

            Thread.Sleep(1);
        }

        return true;
    }

    private void FireSlot(long millis, long dueBy)
    {
        var index = (int)(millis % Slots);
        var due = _slots[index];
        if (due.Count == 0)
        {
            return;
        }

        // Items due in a later turn of the wheel stay; the others fire and go to their next slot (never this one:
        // every interval is at least a millisecond and less than the wheel's turn).
        var slot = _firing;
        _slots[index] = slot;
        foreach (var (item, dueMicros) in due)
        {
            if (dueMicros / 1000 > millis || dueMicros > dueBy)
            {
                slot.Add((item, dueMicros));
                continue;
            }

            // A wheel running late still fires what is overdue in the next slot, keeping the due time, so the
            // lateness shows in the send lag rather than vanishing.
            Insert(item, item.Fire(dueMicros), millis + 1);
        }

        due.Clear();
        _firing = due;
    }

    private void Insert(IPaced item, long dueMicros, long earliestMillis = 0) =>
        _slots[Math.Max(dueMicros / 1000, earliestMillis) % Slots].Add((item, dueMicros));
}
