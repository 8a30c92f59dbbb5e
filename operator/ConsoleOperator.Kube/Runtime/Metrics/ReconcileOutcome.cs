namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>How one reconcile ended, as counted by <c>controller_runtime_reconcile_total{result}</c>.</summary>
public enum ReconcileOutcome
{
    Success,
    Error,
    Requeue,
    RequeueAfter,
}
