using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Tokens.Kinds;

/// <summary>
/// The text form of <see cref="ConsoleKind"/> (`vnc`, `serial`, `spice`) used in the token store, on
/// the command line and in the ConsoleToken's `spec.kind`: one spelling everywhere.
/// </summary>
public static class ConsoleKindNames
{
    public const string Vnc = "vnc";
    public const string Serial = "serial";
    public const string Spice = "spice";

    /// <summary>Every kind's name, in the order help texts list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Vnc, Serial, Spice];

    public static string NameOf(ConsoleKind kind) => kind switch
    {
        ConsoleKind.Vnc => Vnc,
        ConsoleKind.Serial => Serial,
        ConsoleKind.Spice => Spice,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a console kind"),
    };

    /// <summary>Reads a kind's name (exact, lower case, as written); false with a reason a person can act on.</summary>
    public static bool TryParse(string? text, out ConsoleKind kind, [NotNullWhen(false)] out string? error)
    {
        kind = ConsoleKind.Vnc;
        switch (text)
        {
            case Vnc:
                error = null;
                return true;
            case Serial:
                kind = ConsoleKind.Serial;
                error = null;
                return true;
            case Spice:
                kind = ConsoleKind.Spice;
                error = null;
                return true;
            default:
                error = $"'{text}' is not a console kind; expected one of {string.Join(", ", All)}";
                return false;
        }
    }

    /// <summary>
    /// Reads a list of kinds as `serve --kinds` takes it: comma-separated and/or repeated values, each named once.
    /// </summary>
    public static bool TryParseList(IEnumerable<string> values, [NotNullWhen(true)] out IReadOnlySet<ConsoleKind>? kinds, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parsed = new HashSet<ConsoleKind>();
        kinds = null;
        foreach (var name in values.SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!TryParse(name, out var kind, out error))
            {
                return false;
            }

            if (!parsed.Add(kind))
            {
                error = $"'{name}' is named twice";
                return false;
            }
        }

        if (parsed.Count == 0)
        {
            error = $"no console kind given; expected one or more of {string.Join(", ", All)}";
            return false;
        }

        kinds = parsed;
        error = null;
        return true;
    }
}
