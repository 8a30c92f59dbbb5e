using ConsoleOperator.Kube.Runtime.Election;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

/// <summary>
/// A running elector whose "workers" just hold on to the leadership token, recording on the shared
/// (true) clock when they started and when the token was cancelled.
/// </summary>
public sealed class Candidate : IAsyncDisposable
{
    private readonly ManualTimeProvider clock;
    private readonly CancellationTokenSource shutdown = new();
    private readonly TaskCompletionSource<CancellationToken> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long startedAtTicks = -1;
    private long lostAtTicks = -1;

    public Candidate(string identity, InMemoryLease lease, ManualTimeProvider clock, TimeSpan skew, Func<CancellationToken, Task>? work = null, double jitter = 0)
    {
        this.clock = clock;
        Store = new InMemoryLeaseStore(lease);
        Elector = new LeaderElector(
            Store,
            new LeaderElectionOptions { Identity = identity, JitterFactor = jitter },
            new SkewedTimeProvider(clock, skew));
        Elector.LeaderObserved += (_, args) =>
        {
            lock (ObservedLeaders)
            {
                ObservedLeaders.Add(args.Identity);
            }
        };
        Run = Task.Run(() => Elector.RunAsync(token => LeadAsync(work, token), shutdown.Token));
    }

    public LeaderElector Elector { get; }

    public InMemoryLeaseStore Store { get; }

    public Task Run { get; }

    public List<string> ObservedLeaders { get; } = [];

    public bool Started => Interlocked.Read(ref startedAtTicks) >= 0;

    public bool Lost => Interlocked.Read(ref lostAtTicks) >= 0;

    public DateTimeOffset StartedAt => new(Interlocked.Read(ref startedAtTicks), TimeSpan.Zero);

    public DateTimeOffset LostAt => new(Interlocked.Read(ref lostAtTicks), TimeSpan.Zero);

    public Task<CancellationToken> Leadership => started.Task;

    public Task ShutDownAsync() => shutdown.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await shutdown.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // Tests assert on Run themselves; disposal only makes sure nothing keeps running.
        }

        shutdown.Dispose();
    }

    private async Task LeadAsync(Func<CancellationToken, Task>? work, CancellationToken leadership)
    {
        Interlocked.Exchange(ref startedAtTicks, clock.GetUtcNow().UtcTicks);

        // Runs on the thread that cancels: for a lost lease, inside the clock's Advance at the deadline itself.
        leadership.Register(() => Interlocked.Exchange(ref lostAtTicks, clock.GetUtcNow().UtcTicks));
        started.TrySetResult(leadership);
        if (work is not null)
        {
            await work(leadership);
            return;
        }

        await Task.Delay(Timeout.InfiniteTimeSpan, leadership);
    }
}
