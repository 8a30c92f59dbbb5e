using System.Diagnostics.CodeAnalysis;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Policy;

namespace ConsoleProxy.Authorization;

/// <summary>
/// The console kinds this proxy serves (`serve --kinds`) and, for each, where its sessions may connect: serial ports
/// and VNC ports are different listeners, so each kind has its own allow-list and a token passes only its own kind's.
/// </summary>
public sealed class ServedKinds
{
    private readonly IReadOnlyDictionary<ConsoleKind, TargetPolicy> _policies;

    public ServedKinds(IReadOnlyDictionary<ConsoleKind, TargetPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        if (policies.Count == 0)
        {
            throw new ArgumentException("a proxy serves at least one console kind", nameof(policies));
        }

        _policies = policies;
    }

    /// <summary>A proxy that serves VNC only, as before kinds existed.</summary>
    public static ServedKinds VncOnly(TargetPolicy policy) => new(new Dictionary<ConsoleKind, TargetPolicy> { [ConsoleKind.Vnc] = policy });

    public IEnumerable<ConsoleKind> Kinds => _policies.Keys;

    /// <summary>The allow-list of <paramref name="kind"/>; false when this proxy does not serve it.</summary>
    public bool TryGetPolicy(ConsoleKind kind, [NotNullWhen(true)] out TargetPolicy? policy) => _policies.TryGetValue(kind, out policy);

    /// <summary>Why a token of <paramref name="kind"/> is refused here: the refusal text, for the log and the 403.</summary>
    public static string NotServedReason(ConsoleKind kind) =>
        $"this proxy does not serve {ConsoleKindNames.NameOf(kind)} consoles";
}
