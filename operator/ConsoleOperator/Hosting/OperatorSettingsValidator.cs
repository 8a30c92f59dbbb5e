using Microsoft.Extensions.Options;

namespace ConsoleOperator.Hosting;

/// <summary>
/// Refuses settings that cannot work, each with the flag to change: run by the options system when the host starts
/// (ValidateOnStart) and by <see cref="OperatorSettings.Validate"/> before anything is built.
/// </summary>
public sealed class OperatorSettingsValidator : IValidateOptions<OperatorSettings>
{
    public ValidateOptionsResult Validate(string? name, OperatorSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MetricsPort is < 0 or > 65535)
        {
            failures.Add($"--metrics-port must be a TCP port (0-65535), not {options.MetricsPort}");
        }

        if (options.LeaderElect && string.IsNullOrWhiteSpace(options.LeaseNamespace))
        {
            failures.Add("--leader-elect needs the namespace of the lease: set POD_NAMESPACE (the Deployment passes it from metadata.namespace) or --namespace");
        }

        if (string.IsNullOrWhiteSpace(options.Defaults.ProxyImage) || string.IsNullOrWhiteSpace(options.Defaults.RedisImage))
        {
            failures.Add("--proxy-image and --redis-image must not be empty");
        }

        if (options.SessionSweepPeriod < TimeSpan.FromSeconds(1) || options.SessionSweepPeriod > TimeSpan.FromMinutes(5))
        {
            failures.Add($"--session-sweep-seconds must be between 1 and 300 (a status write per ConsoleToken per period at most; who is connected shows that late), not {options.SessionSweepPeriod.TotalSeconds}");
        }

        if (options.Namespace is { Length: 0 })
        {
            failures.Add("--namespace must name a namespace (leave it out to watch all namespaces)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
