using System.Net;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>
/// Which consoles a proxy may dial: defence in depth against the proxy becoming an open relay into
/// the network. The operator checks a ConsoleToken's target against it before minting, and the
/// proxy checks again, against the resolved address it is about to connect to.
/// </summary>
public sealed class TargetPolicy
{
    private readonly AllowedTarget[] _entries;

    private TargetPolicy(AllowedTarget[] entries) => _entries = entries;

    /// <summary>Any address, any port: only for the stand-alone CLI mode, where the operator sets no policy.</summary>
    public static TargetPolicy Unrestricted { get; } = new([]);

    public IReadOnlyList<AllowedTarget> Entries => _entries;

    public bool IsUnrestricted => _entries.Length == 0;

    /// <summary>
    /// Parses the entries (<see cref="PolicyList{T}"/>, the contract's one parser) and makes them a policy
    /// (<see cref="From"/>); a <see cref="FormatException"/> reports every bad entry at once.
    /// </summary>
    public static TargetPolicy Parse(IEnumerable<string> entries, bool allowWideNetworks = false) =>
        From(PolicyList.Parse<AllowedTarget>(entries), allowWideNetworks);

    /// <summary>
    /// The policy of parsed entries. An empty list is refused: "no restriction" must be asked for by name
    /// (<see cref="Unrestricted"/>), never be what a forgotten setting silently means. So is an entry wider than
    /// a /8 (IPv4) or /32 (IPv6) unless <paramref name="allowWideNetworks"/> says so: <c>0.0.0.0/0</c> is the same
    /// open relay as no policy at all. Throws <see cref="FormatException"/> naming every wide entry.
    /// </summary>
    public static TargetPolicy From(PolicyList<AllowedTarget> targets, bool allowWideNetworks)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var wide = allowWideNetworks ? [] : targets.Entries.Where(target => target.IsWide).Select(WideNetworkProblem).ToList();
        if (wide.Count > 0)
        {
            throw new FormatException(string.Join("; ", wide));
        }

        return targets.Count == 0
            ? throw new FormatException("no allowed targets given; a policy needs at least one CIDR[:PORT[-PORT]] entry")
            : new TargetPolicy([.. targets.Entries]);
    }

    /// <summary>Why a wide entry is refused, in the words both the proxy's flags and the ConsoleProxy's fields use.</summary>
    public static string WideNetworkProblem(AllowedTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return $"allowed target '{target}' is wider than /{AllowedTarget.WidestIPv4Prefix} (IPv4) or /{AllowedTarget.WidestIPv6Prefix} (IPv6): "
            + "it would let consoles reach the Kubernetes API, every node and anything else routable; list the networks your "
            + "consoles live on, or allow wide networks explicitly (consoleproxy serve --allow-wide-target-networks, "
            + "ConsoleProxy spec.tokens.allowWideTargetNetworks: true). Loopback and link-local stay refused unless named exactly";
    }

    public static TargetPolicy Of(IEnumerable<AllowedTarget> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var array = entries.ToArray();
        return array.Length == 0
            ? throw new ArgumentException("a policy needs at least one entry; use TargetPolicy.Unrestricted for none", nameof(entries))
            : new TargetPolicy(array);
    }

    /// <summary>
    /// Whether a console may be dialled at <paramref name="address"/>:<paramref name="port"/>. An address in a
    /// <see cref="GuardedNetworks">guarded network</see> (loopback, link-local) counts only for an entry inside that
    /// network, so no wide entry opens the proxy pod itself or the cloud metadata service by accident.
    /// </summary>
    public bool Allows(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsUnrestricted)
        {
            return true;
        }

        var guarded = GuardedNetworks.Containing(address);
        foreach (var entry in _entries)
        {
            if (entry.Allows(address, port) && (guarded is null || guarded.Covers(entry)))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() =>
        IsUnrestricted ? "unrestricted" : string.Join(", ", _entries.Select(entry => entry.ToString()));
}
