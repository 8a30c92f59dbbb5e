using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>An inclusive range of TCP ports, written `5900` or `5900-5999`.</summary>
public readonly record struct PortRange
{
    public PortRange(int first, int last)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, 65535);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        First = first;
        Last = last;
    }

    /// <summary>Every TCP port: what an allowed target without a port means.</summary>
    public static PortRange All { get; } = new(1, 65535);

    public int First { get; }

    public int Last { get; }

    public bool IsAll => First == 1 && Last == 65535;

    public bool Contains(int port) => port >= First && port <= Last;

    public static bool TryParse(string text, out PortRange range, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        range = default;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var firstText = dash < 0 ? text : text[..dash];
        var lastText = dash < 0 ? text : text[(dash + 1)..];
        if (!TryParsePort(firstText, out var first) || !TryParsePort(lastText, out var last))
        {
            error = $"port '{text}' is not a port (1-65535) or a range of ports (FIRST-LAST)";
            return false;
        }

        if (first > last)
        {
            error = $"port range '{text}' runs backwards; write the lower port first";
            return false;
        }

        range = new PortRange(first, last);
        error = null;
        return true;
    }

    public override string ToString() =>
        First == Last
            ? First.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
