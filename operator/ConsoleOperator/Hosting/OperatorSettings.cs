using ConsoleOperator.Builders;
using ConsoleOperator.TokenStores;

namespace ConsoleOperator.Hosting;

/// <summary>Everything `console-operator run` is told by its flags and environment.</summary>
public sealed record OperatorSettings
{
    /// <summary>The lease every replica competes for, in <see cref="LeaseNamespace"/>.</summary>
    public const string DefaultLeaseName = "console-operator-leader";

    /// <summary>A kubeconfig file; null: in-cluster configuration, else KUBECONFIG or ~/.kube/config.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>The only namespace watched; null: every namespace.</summary>
    public string? Namespace { get; init; }

    public bool LeaderElect { get; init; }

    /// <summary>The port of /healthz, /readyz and /metrics, on every interface; 0 picks a free one.</summary>
    public int MetricsPort { get; init; } = 8080;

    public OperatorDefaults Defaults { get; init; } = OperatorDefaults.ForThisRelease;

    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary>This replica's name in the lease and in its events (the pod name in a cluster).</summary>
    public required string Identity { get; init; }

    /// <summary>Where the lease lives (the operator's own namespace); required with leader election.</summary>
    public string? LeaseNamespace { get; init; }

    public string LeaseName { get; init; } = DefaultLeaseName;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a shutdown may take (below the pod's 30 s grace period, so the lease is released in time).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often each ConsoleProxy's token store is checked again without a change.</summary>
    public TimeSpan TokenStoreRecheckInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where the operator dials token stores (default: the address the proxy pods use).</summary>
    public ITokenStoreAddressResolver TokenStoreAddresses { get; init; } = EndpointAddressResolver.Instance;

    /// <summary>Throws with a message a person can act on when the settings cannot work.</summary>
    public void Validate()
    {
        if (MetricsPort is < 0 or > 65535)
        {
            throw new OperatorConfigurationException($"--metrics-port must be a TCP port (0-65535), not {MetricsPort}");
        }

        if (LeaderElect && string.IsNullOrWhiteSpace(LeaseNamespace))
        {
            throw new OperatorConfigurationException(
                "--leader-elect needs the namespace of the lease: set POD_NAMESPACE (the Deployment passes it from metadata.namespace) or --namespace");
        }

        if (string.IsNullOrWhiteSpace(Defaults.ProxyImage) || string.IsNullOrWhiteSpace(Defaults.RedisImage))
        {
            throw new OperatorConfigurationException("--proxy-image and --redis-image must not be empty");
        }

        if (Namespace is { Length: 0 })
        {
            throw new OperatorConfigurationException("--namespace must name a namespace (leave it out to watch all namespaces)");
        }
    }
}
