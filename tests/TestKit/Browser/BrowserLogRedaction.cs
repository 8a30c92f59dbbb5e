using System.Text.RegularExpressions;

namespace TestKit.Browser;

/// <summary>
/// Browser messages name the WebSocket URL, and with it the console's token: a page's log keeps them redacted, so a
/// raw token never reaches a test log or a failure message (both URL shapes: `?token=` and the escaped `%3Dtoken`).
/// </summary>
public static partial class BrowserLogRedaction
{
    public static string Redact(string text) => TokenInUrl().Replace(text, "$1<redacted>");

    [GeneratedRegex("(token(?:=|%3D))[A-Za-z0-9_-]+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenInUrl();
}
