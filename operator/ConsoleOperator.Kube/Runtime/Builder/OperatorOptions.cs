namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// The runtime's own settings, KubeOps' <c>OperatorSettings</c>: what it watches, who it is in events and the Lease,
/// and whether it elects a leader. Validated when the host starts (<see cref="OperatorOptionsValidator"/>).
/// </summary>
public sealed class OperatorOptions
{
    /// <summary>The reportingController of every event (a domain-qualified name, at most 128 characters).</summary>
    public string ReportingController { get; set; } = string.Empty;

    /// <summary>This replica's name in the Lease and in events (the pod name in a cluster).</summary>
    public string Identity { get; set; } = string.Empty;

    /// <summary>The only namespace watched; null: every namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>Run the controllers only while holding the Lease (for more than one replica).</summary>
    public bool LeaderElection { get; set; }

    /// <summary>Where the Lease lives (the operator's own namespace); required with leader election.</summary>
    public string? LeaseNamespace { get; set; }

    public string LeaseName { get; set; } = string.Empty;

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}
