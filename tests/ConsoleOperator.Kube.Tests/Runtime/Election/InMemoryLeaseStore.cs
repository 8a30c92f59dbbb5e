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
        return Task.FromResult(shared.Replace(lease));
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
