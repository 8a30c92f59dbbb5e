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
    /// Parses the entries, reporting every bad one at once in a <see cref="FormatException"/>.
    /// An empty list is refused too: "no restriction" must be asked for by name
    /// (<see cref="Unrestricted"/>), never be what a forgotten setting silently means.
    /// </summary>
    public static TargetPolicy Parse(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var parsed = new List<AllowedTarget>();
        var errors = new List<string>();
        foreach (var entry in entries)
        {
            if (AllowedTarget.TryParse(entry, out var target, out var error))
            {
                parsed.Add(target);
            }
            else
            {
                errors.Add(error);
            }
        }

        if (errors.Count > 0)
        {
            throw new FormatException(string.Join("; ", errors));
        }

        if (parsed.Count == 0)
        {
            throw new FormatException("no allowed targets given; a policy needs at least one CIDR[:PORT[-PORT]] entry");
        }

        return new TargetPolicy([.. parsed]);
    }

    public static TargetPolicy Of(IEnumerable<AllowedTarget> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var array = entries.ToArray();
        return array.Length == 0
            ? throw new ArgumentException("a policy needs at least one entry; use TargetPolicy.Unrestricted for none", nameof(entries))
            : new TargetPolicy(array);
    }

    public bool Allows(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsUnrestricted)
        {
            return true;
        }

        foreach (var entry in _entries)
        {
            if (entry.Allows(address, port))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() =>
        IsUnrestricted ? "unrestricted" : string.Join(", ", _entries.Select(entry => entry.ToString()));
}
