using ConsoleOperator.Builders;
using ConsoleOperator.TokenStores;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>How the ConsoleProxy controller runs.</summary>
public sealed record ConsoleProxyControllerOptions
{
    /// <summary>The one server-side apply field manager of everything the controller writes.</summary>
    public string FieldManager { get; init; } = "console-operator";

    /// <summary>Carries the hash of what was applied, so a converged reconcile sends nothing.</summary>
    public string HashAnnotation { get; init; } = "consoleoperator.dev/applied-hash";

    /// <summary>The images used when a ConsoleProxy names none.</summary>
    public OperatorDefaults Defaults { get; init; } = OperatorDefaults.ForThisRelease;

    /// <summary>ConsoleProxies reconciled at once (never the same one twice at once).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>How often a ConsoleProxy is reconciled without a change, to check its token store again.</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Only this namespace is watched; null: every namespace.</summary>
    public string? Namespace { get; init; }

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FieldManager);
        ArgumentException.ThrowIfNullOrWhiteSpace(HashAnnotation);
        ArgumentNullException.ThrowIfNull(Defaults);
        if (Workers < 1)
        {
            throw new ArgumentException($"Workers must be at least 1, not {Workers}.", nameof(Workers));
        }

        if (RecheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RecheckInterval must be positive, not {RecheckInterval}.", nameof(RecheckInterval));
        }

        if (Namespace is { Length: 0 })
        {
            throw new ArgumentException("Namespace must be null (all namespaces) or a namespace name.", nameof(Namespace));
        }
    }
}
