namespace ConsoleProxy.Tokens.Store;

/// <summary>The Sentinel deployment in front of the token store: `--redis-sentinel` and `--redis-master-name`.</summary>
/// <param name="Addresses">HOST:PORT of each sentinel; any one that answers is enough.</param>
/// <param name="MasterName">The name the sentinels monitor the primary under (`sentinel monitor NAME ...`).</param>
public sealed record SentinelOptions(IReadOnlyList<string> Addresses, string MasterName)
{
    /// <summary>Parses `host:port,host:port`; null with <paramref name="error"/> set when a part is not HOST:PORT.</summary>
    public static IReadOnlyList<string>? ParseAddresses(string text, out string? error)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            error = "no sentinel address given (expected HOST:PORT,HOST:PORT,...)";
            return null;
        }

        foreach (var part in parts)
        {
            if (!Targets.ConsoleTarget.TryParse(part, out _, out var partError))
            {
                error = $"sentinel '{part}': {partError}";
                return null;
            }
        }

        error = null;
        return parts;
    }

    public override string ToString() => $"master '{MasterName}' via sentinels {string.Join(",", Addresses)}";
}
