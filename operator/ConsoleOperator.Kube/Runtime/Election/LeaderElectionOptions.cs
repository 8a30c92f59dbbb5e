namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>
/// Timing of a leader election, with client-go's defaults. The lease must outlive the renew
/// deadline (a leader gives up before others may take over), and the renew deadline must leave
/// room for more than one jittered retry.
/// </summary>
public sealed record LeaderElectionOptions
{
    /// <summary>Client-go's jitter factor: the acquire loop waits RetryPeriod * [1, 1 + factor).</summary>
    public const double DefaultJitterFactor = 1.2;

    /// <summary>
    /// This candidate's identity (usually the pod name), written as holderIdentity. Under <c>AddKubernetesOperator</c>
    /// leave it unset: the runtime holds the Lease as the replica's <c>OperatorOptions.Identity</c>, the one its events carry.
    /// </summary>
    public string Identity { get; init; } = string.Empty;

    /// <summary>How long non-leaders wait, from the last change they observed, before taking the lease.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire and the leader renews.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    public double JitterFactor { get; init; } = DefaultJitterFactor;

    /// <summary>Throws, naming the option, when the timings cannot work together.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Identity);
        if (LeaseDuration.TotalSeconds < 1 || LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"LeaseDuration must be a whole number of seconds, at least 1 (it is written as leaseDurationSeconds), not {LeaseDuration}.", nameof(LeaseDuration));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryPeriod, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LeaseDuration, RenewDeadline);

        // More than one jittered retry must fit in the renew deadline.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RenewDeadline, RetryPeriod * DefaultJitterFactor);
        if (!double.IsFinite(JitterFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(JitterFactor), JitterFactor, "JitterFactor must be finite.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(JitterFactor);
    }
}
