namespace ConsoleOperator.Kube.Runtime.Controllers;

/// <summary>
/// How a reconcile ended when it did not throw: done (until the next change), come back after a delay (e.g. when
/// something expires), or come back soon with the rate limiter's backoff without counting as an error.
/// </summary>
public readonly record struct ReconcileResult
{
    /// <summary>Nothing more to do until the object or something it watches changes.</summary>
    public static ReconcileResult Done { get; }

    /// <summary>Reconcile the key again after the rate limiter's delay, without logging an error.</summary>
    public static ReconcileResult RequeueSoon { get; } = new() { Requeue = true };

    public TimeSpan? RequeueAfterDelay { get; private init; }

    public bool Requeue { get; private init; }

    /// <summary>Reconcile the key again after <paramref name="delay"/> (an earlier change still triggers it earlier).</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new() { RequeueAfterDelay = delay };
    }

    public override string ToString() =>
        RequeueAfterDelay is { } delay ? $"RequeueAfter({delay})" : Requeue ? "RequeueSoon" : "Done";
}
