using System.Collections.Concurrent;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Builder;

/// <summary>What the test controller and finalizer were called with, in order ("reconcile c1 [finalizers]", "finalize c1", "deleted c1").</summary>
public sealed class ConfigMapJournal
{
    private readonly ConcurrentQueue<string> _lines = new();

    public List<string> Lines => [.. _lines];

    public void Add(string line) => _lines.Enqueue(line);
}

/// <summary>A controller as an author writes one: constructor-injected, called with the object.</summary>
public sealed class JournalController(ConfigMapJournal journal) : IEntityController<V1ConfigMap>
{
    public Task<ReconcileResult> ReconcileAsync(V1ConfigMap entity, CancellationToken cancellationToken)
    {
        journal.Add($"reconcile {entity.Metadata.Name} [{string.Join(",", entity.Metadata.Finalizers ?? [])}]");
        return Task.FromResult(ReconcileResult.Done);
    }

    public Task<ReconcileResult> DeletedAsync(V1ConfigMap entity, CancellationToken cancellationToken)
    {
        journal.Add($"deleted {entity.Metadata.Name}");
        return Task.FromResult(ReconcileResult.Done);
    }
}

/// <summary>Fails its first call (the runtime must keep the finalizer and retry), then records.</summary>
public sealed class JournalFinalizer(ConfigMapJournal journal) : IEntityFinalizer<V1ConfigMap>
{
    private int _calls;

    public Task FinalizeAsync(V1ConfigMap entity, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) == 1)
        {
            journal.Add($"finalize {entity.Metadata.Name} failed");
            throw new InvalidOperationException("the first cleanup fails on purpose");
        }

        journal.Add($"finalize {entity.Metadata.Name}");
        return Task.CompletedTask;
    }
}
