using ConsoleOperator.Kube.Runtime.Election;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

/// <summary>
/// One elector's connection to an <see cref="InMemoryLease"/>, which a test can cut
/// (<see cref="Unreachable"/>) or interleave with a concurrent write (<see cref="BeforeUpdate"/>).
/// </summary>
public sealed class InMemoryLeaseStore(InMemoryLease shared) : ILeaseStore
{
    private int _calls;
    private volatile bool _unreachable;
    private Action? _beforeUpdate;
    private int _loseNextReply;

    public string Description => "kube-system/console-operator";

    /// <summary>While true every call fails as if the API server could not be reached.</summary>
    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    /// <summary>Runs once, just before the next update reaches the lease (between the elector's read and its write).</summary>
    public Action? BeforeUpdate
    {
        get => Volatile.Read(ref _beforeUpdate);
        set => Volatile.Write(ref _beforeUpdate, value);
    }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>
    /// The next update reaches the lease but its answer never comes back: the call fails as a cancelled request does
    /// when the server had already applied it (a renewal in flight when the process is told to stop).
    /// </summary>
    public void LoseNextReply() => Volatile.Write(ref _loseNextReply, 1);

    public Task<V1Lease?> GetAsync(CancellationToken cancellationToken)
    {
        Enter(cancellationToken);
        return Task.FromResult(shared.Get());
    }

    public Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        Enter(cancellationToken);
        return Task.FromResult(shared.Create(lease));
    }

    public Task<V1Lease> ReplaceAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        Enter(cancellationToken);
        Interlocked.Exchange(ref _beforeUpdate, null)?.Invoke();
        var stored = shared.Replace(lease);
        if (Interlocked.Exchange(ref _loseNextReply, 0) == 1)
        {
            throw new OperationCanceledException("The answer to this update was lost (injected by the test)");
        }

        return Task.FromResult(stored);
    }

    private void Enter(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        if (_unreachable)
        {
            throw new HttpRequestException("Connection refused (injected by the test)");
        }
    }
}
