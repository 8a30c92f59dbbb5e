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

    /// <summary>The default of <see cref="SessionSweepPeriod"/>.</summary>
    public static readonly TimeSpan DefaultSessionSweepPeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often who is connected is read into ConsoleToken and ConsoleProxy status: the bound on their session status
    /// writes (one per object per period at most) and, with the sessions' 15 s TTL, on how long a killed proxy pod's
    /// sessions still show.
    /// </summary>
    public TimeSpan SessionSweepPeriod { get; init; } = DefaultSessionSweepPeriod;

    /// <summary>How long the operator waits to connect to a token store.</summary>
    public TimeSpan TokenStoreConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one token store call may take.</summary>
    public TimeSpan TokenStoreOperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the operator dials token stores (default: the address the proxy pods use).</summary>
    public ITokenStoreAddressResolver TokenStoreAddresses { get; init; } = EndpointAddressResolver.Instance;

    /// <summary>Throws with a message a person can act on when the settings cannot work (<see cref="OperatorSettingsValidator"/>).</summary>
    public void Validate()
    {
        var result = new OperatorSettingsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new OperatorConfigurationException(string.Join("; ", result.Failures));
        }
    }
}
