using ConsoleOperator.TokenStores;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>How the ConsoleToken controller runs.</summary>
public sealed record ConsoleTokenControllerOptions
{
    public const string DefaultFinalizer = "consoleoperator.dev/revoke-token";

    /// <summary>The server-side apply field manager of the status.</summary>
    public string FieldManager { get; init; } = "console-operator";

    /// <summary>Holds a minted ConsoleToken until its Redis entry is revoked.</summary>
    public string Finalizer { get; init; } = DefaultFinalizer;

    /// <summary>Only ConsoleTokens, ConsoleProxies and Secrets in this namespace are watched; null: every namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>Tokens reconciled at once (never the same token twice at once).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>How often each token store is checked for lost data (see <see cref="TokenStoreSentinel"/>).</summary>
    public TimeSpan TokenStoreCheckInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often who is connected is read from the token stores into status (see SessionStatusSweeper).</summary>
    public TimeSpan SessionSweepPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Resolves target host names for the policy check (default: the system resolver).</summary>
    public ITargetResolver TargetResolver { get; init; } = DnsTargetResolver.Instance;

    public void Validate()
    {
        if (Workers < 1)
        {
            throw new ArgumentException($"Workers must be at least 1, not {Workers}.", nameof(Workers));
        }

        if (Namespace is { Length: 0 })
        {
            throw new ArgumentException("Namespace must be null (all namespaces) or a namespace name.", nameof(Namespace));
        }

        if (TokenStoreCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"TokenStoreCheckInterval must be positive, not {TokenStoreCheckInterval}.", nameof(TokenStoreCheckInterval));
        }

        if (SessionSweepPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SessionSweepPeriod must be positive, not {SessionSweepPeriod}.", nameof(SessionSweepPeriod));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(FieldManager);
        ArgumentException.ThrowIfNullOrWhiteSpace(Finalizer);
        ArgumentNullException.ThrowIfNull(TargetResolver);
    }
}
