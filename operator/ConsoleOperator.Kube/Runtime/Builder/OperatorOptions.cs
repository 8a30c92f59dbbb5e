using System.ComponentModel.DataAnnotations;
using ConsoleOperator.Kube.Runtime.Election;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>
/// The runtime's own settings, KubeOps' <c>OperatorSettings</c>: what it watches, who it is in events and the Lease,
/// and whether it elects a leader. Validated when the host starts: settings that cannot work are refused, each with what
/// to change.
/// </summary>
public sealed class OperatorOptions : IValidatableObject
{
    /// <summary>The reportingController of every event (a domain-qualified name, at most 128 characters).</summary>
    public string ReportingController { get; set; } = string.Empty;

    /// <summary>This replica's name in the Lease and in events (the pod name in a cluster).</summary>
    public string Identity { get; set; } = string.Empty;

    /// <summary>The only namespace watched; null: every namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// Run the controllers only while holding the Lease (for more than one replica), as <see cref="Identity"/>; null:
    /// always run them. The elector checks its timings when the host starts.
    /// </summary>
    public LeaderElectionOptions? LeaderElection { get; set; }

    /// <summary>Where the Lease lives (the operator's own namespace); required with leader election.</summary>
    public string? LeaseNamespace { get; set; }

    public string LeaseName { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ReportingController) || !ReportingController.Contains('/', StringComparison.Ordinal) || ReportingController.Length > 128)
        {
            yield return new ValidationResult($"the reporting controller must be a domain-qualified name of at most 128 characters (example.dev/my-operator), not '{ReportingController}'");
        }

        if (string.IsNullOrWhiteSpace(Identity) || Identity.Length > 128)
        {
            yield return new ValidationResult("the replica's identity must be set (the pod name, from POD_NAME) and at most 128 characters");
        }

        if (Namespace is { Length: 0 })
        {
            yield return new ValidationResult("the watched namespace must name a namespace (leave it unset to watch all namespaces)");
        }

        if (LeaderElection is null)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(LeaseNamespace))
        {
            yield return new ValidationResult("leader election needs the namespace of the Lease: set POD_NAMESPACE (the Deployment passes it from metadata.namespace) or --namespace");
        }

        if (string.IsNullOrWhiteSpace(LeaseName))
        {
            yield return new ValidationResult("leader election needs the Lease's name");
        }

        // One identity per replica: the Lease holder is the reportingInstance of its events.
        if (LeaderElection.Identity.Length > 0 && LeaderElection.Identity != Identity)
        {
            yield return new ValidationResult($"leader election holds the Lease as the replica's identity '{Identity}': leave LeaderElection.Identity unset, not '{LeaderElection.Identity}'");
        }
    }
}
