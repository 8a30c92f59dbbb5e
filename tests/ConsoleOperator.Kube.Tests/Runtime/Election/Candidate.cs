using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

/// <summary>
/// A running elector whose "workers" just hold on to the leadership token, recording on the shared
/// (true) clock when they started and when the token was cancelled.
/// </summary>
public sealed class Candidate : IAsyncDisposable
{
    private readonly ManualTimeProvider _clock;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource<CancellationToken> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _startedAtTicks = -1;
    private long _lostAtTicks = -1;

    public Candidate(string identity, InMemoryLease lease, ManualTimeProvider clock, TimeSpan skew, Func<CancellationToken, Task>? work = null, double jitter = 0)
    {
        _clock = clock;
        Store = new InMemoryLeaseStore(lease);
        Elector = new LeaderElector(
            Store.Leases,
            InMemoryLeaseStore.Name,
            new LeaderElectionOptions { Identity = identity, JitterFactor = jitter },
            new ShiftedTimeProvider(clock, skew),
            Logs.CreateLogger<LeaderElector>());
        Run = Task.Run(() => Elector.RunAsync(token => LeadAsync(work, token), _shutdown.Token));
    }

    public LeaderElector Elector { get; }

    public InMemoryLeaseStore Store { get; }

    public Task Run { get; }

    public CapturingLoggerFactory Logs { get; } = new();

    /// <summary>Each holder the elector logged as the new leader, in order.</summary>
    public IReadOnlyList<string> ObservedLeaders =>
        [.. Logs.Entries.Select(entry => entry.Message.Split(": new leader ")).Where(parts => parts.Length == 2).Select(parts => parts[1])];

    public bool Started => Interlocked.Read(ref _startedAtTicks) >= 0;

    public bool Lost => Interlocked.Read(ref _lostAtTicks) >= 0;

    public DateTimeOffset StartedAt => new(Interlocked.Read(ref _startedAtTicks), TimeSpan.Zero);

    public DateTimeOffset LostAt => new(Interlocked.Read(ref _lostAtTicks), TimeSpan.Zero);

    public Task<CancellationToken> Leadership => _started.Task;

    public Task ShutDownAsync() => _shutdown.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // Tests assert on Run themselves; disposal only makes sure nothing keeps running.
        }

        _shutdown.Dispose();
    }

    private async Task LeadAsync(Func<CancellationToken, Task>? work, CancellationToken leadership)
    {
        Interlocked.Exchange(ref _startedAtTicks, _clock.GetUtcNow().UtcTicks);

        // Runs on the thread that cancels: for a lost lease, inside the clock's Advance at the deadline itself.
        leadership.Register(() => Interlocked.Exchange(ref _lostAtTicks, _clock.GetUtcNow().UtcTicks));
        _started.TrySetResult(leadership);
        if (work is not null)
        {
            await work(leadership);
            return;
        }

        await Task.Delay(Timeout.InfiniteTimeSpan, leadership);
    }
}
