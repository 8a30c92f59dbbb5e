using Microsoft.Extensions.Options;

namespace ConsoleOperator.Kube.Runtime.Builder;

/// <summary>Refuses runtime settings that cannot work, at start, each with what to change.</summary>
public sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ReportingController) || !options.ReportingController.Contains('/', StringComparison.Ordinal) || options.ReportingController.Length > 128)
        {
            failures.Add($"the reporting controller must be a domain-qualified name of at most 128 characters (example.dev/my-operator), not '{options.ReportingController}'");
        }

        if (string.IsNullOrWhiteSpace(options.Identity) || options.Identity.Length > 128)
        {
            failures.Add("the replica's identity must be set (the pod name, from POD_NAME) and at most 128 characters");
        }

        if (options.Namespace is { Length: 0 })
        {
            failures.Add("the watched namespace must name a namespace (leave it unset to watch all namespaces)");
        }

        if (options.LeaderElection)
        {
            if (string.IsNullOrWhiteSpace(options.LeaseNamespace))
            {
                failures.Add("leader election needs the namespace of the Lease: set POD_NAMESPACE (the Deployment passes it from metadata.namespace) or --namespace");
            }

            if (string.IsNullOrWhiteSpace(options.LeaseName))
            {
                failures.Add("leader election needs the Lease's name");
            }

            if (!(options.RetryPeriod < options.RenewDeadline && options.RenewDeadline < options.LeaseDuration))
            {
                failures.Add($"leader election needs retry period < renew deadline < lease duration, not {options.RetryPeriod} / {options.RenewDeadline} / {options.LeaseDuration}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
