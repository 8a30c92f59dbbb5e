using System.Text.RegularExpressions;

namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>
/// Makes a server message safe to log. Validation messages echo the offending value, and for a patch that value is the
/// whole object: a Secret's base64 data included (fixture 15/07). Long echoed values are elided; short ones (a bad
/// port, a name) stay, because they are what makes the message useful.
/// </summary>
public static partial class StatusMessageRedactor
{
    private const int MaxEchoedValueChars = 64;

    private const int MaxMessageChars = 2048;

    public static string Redact(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var redacted = EchoedValue().Replace(message, match =>
        {
            var value = match.Groups["value"].Value;
            return value.Length <= MaxEchoedValueChars ? match.Value : $"Invalid value: \"<{value.Length} characters elided>\"";
        });
        return redacted.Length <= MaxMessageChars ? redacted : redacted[..MaxMessageChars] + "...";
    }

    [GeneratedRegex("Invalid value: \"(?<value>(?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EchoedValue();
}
