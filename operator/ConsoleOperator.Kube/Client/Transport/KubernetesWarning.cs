namespace ConsoleOperator.Kube.Client.Transport;

/// <summary>
/// One <c>Warning</c> response header, <c>299 - "unknown field \"spec.color\""</c>: the server accepted the request
/// but dropped or deprecated something (fixture 05). One header line per warning.
/// </summary>
public sealed record KubernetesWarning(int Code, string Agent, string Text)
{
    /// <summary>Parses an RFC 7234 warning value; text that does not follow the format is kept whole as the text.</summary>
    public static KubernetesWarning Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        var firstSpace = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var secondSpace = firstSpace < 0 ? -1 : trimmed.IndexOf(' ', firstSpace + 1);
        if (secondSpace < 0
            || !int.TryParse(trimmed.AsSpan(0, firstSpace), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            return new KubernetesWarning(299, "-", trimmed);
        }

        var agent = trimmed[(firstSpace + 1)..secondSpace];
        var text = trimmed[(secondSpace + 1)..].Trim();
        return new KubernetesWarning(code, agent, Unquote(text));
    }

    public override string ToString() => $"{Code} {Agent} {Text}";

    private static string Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '"')
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                builder.Append(text[++i]);
            }
            else if (c == '"')
            {
                // The closing quote; an optional warn-date may follow, which we do not need.
                break;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
