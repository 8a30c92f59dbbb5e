namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// Brings the world in line with one object. Gets a key, never a snapshot: it reads the current object from the
/// informer's cache itself (absent means deleted). Throwing retries the key with backoff; a 409 Conflict is
/// retried quietly. The token is cancelled when the controller stops (shutdown or lost leadership).
/// </summary>
public interface IReconciler<T>
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
