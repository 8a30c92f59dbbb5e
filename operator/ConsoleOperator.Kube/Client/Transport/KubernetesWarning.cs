using System.Globalization;
using System.Text.RegularExpressions;

namespace ConsoleOperator.Kube.Client.Transport;

/// <summary>
/// One <c>Warning</c> response header, <c>299 - "unknown field \"spec.color\""</c>: the server accepted the request
/// but dropped or deprecated something (fixture 05). One header line per warning.
/// </summary>
public sealed partial record KubernetesWarning(int Code, string Agent, string Text)
{
    /// <summary>Parses an RFC 7234 warning value; text that does not follow the format is kept whole as the text.</summary>
    public static KubernetesWarning Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        var match = WarningValue().Match(trimmed);
        if (!match.Success)
        {
            return new KubernetesWarning(299, "-", trimmed);
        }

        // A quoted text loses its quotes and escapes; an optional warn-date after the closing quote is not needed.
        var text = match.Groups["text"].Value.Trim();
        var quoted = QuotedText().Match(text);
        return new KubernetesWarning(
            int.Parse(match.Groups["code"].ValueSpan, CultureInfo.InvariantCulture),
            match.Groups["agent"].Value,
            quoted.Success ? Escape().Replace(quoted.Groups["inner"].Value, "$1") : text);
    }

    public override string ToString() => $"{Code} {Agent} {Text}";

    [GeneratedRegex(@"^(?<code>[0-9]+) (?<agent>\S+) (?<text>.*)$", RegexOptions.Singleline)]
    private static partial Regex WarningValue();

    [GeneratedRegex("""^"(?<inner>(?:[^"\\]|\\.)*(?:\\$)?)""", RegexOptions.Singleline)]
    private static partial Regex QuotedText();

    [GeneratedRegex(@"\\(.)", RegexOptions.Singleline)]
    private static partial Regex Escape();
}
