using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Import;

/// <summary>Accumulates the lines of a websockify token file into entries and per-line errors.</summary>
internal sealed class WebsockifyTokenFileBuilder
{
    private readonly List<WebsockifyTokenEntry> _entries = [];
    private readonly List<WebsockifyTokenFileError> _errors = [];
    private readonly Dictionary<string, int> _lineOfToken = new(StringComparer.Ordinal);
    private int _lineNumber;

    public void Add(string rawLine)
    {
        _lineNumber++;
        var line = rawLine.Trim();
        if (_lineNumber == 1)
        {
            line = line.TrimStart('\uFEFF');
        }

        if (line.Length == 0 || line.StartsWith('#'))
        {
            return;
        }

        var separator = FindSeparator(line);
        if (separator < 0)
        {
            Fail("expected 'TOKEN: HOST:PORT' (a colon with a space after the token)");
            return;
        }

        var token = line[..separator].Trim();
        var targetText = line[(separator + 1)..].Trim();
        if (token.Length == 0)
        {
            Fail("the token before ':' is empty");
            return;
        }

        if (token.Length < WebsockifyTokenFile.MinimumTokenLength)
        {
            Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"the token has {token.Length} characters; at least {WebsockifyTokenFile.MinimumTokenLength} are required, shorter ones can be guessed"));
            return;
        }

        if (!TryParseTarget(targetText, out var target, out var targetError))
        {
            Fail(targetError);
            return;
        }

        if (_lineOfToken.TryGetValue(token, out var firstLine))
        {
            Fail(string.Create(CultureInfo.InvariantCulture, $"the same token is already on line {firstLine}"));
            return;
        }

        _lineOfToken.Add(token, _lineNumber);
        _entries.Add(new WebsockifyTokenEntry(_lineNumber, token, target));
    }

    public WebsockifyTokenFile Build() => new(_entries.ToArray(), _errors.ToArray());

    private void Fail(string reason) => _errors.Add(new WebsockifyTokenFileError(_lineNumber, reason));

    /// <summary>
    /// The first ':' with white space after it (where websockify's `re.split(':\s')` cuts) or before
    /// it (`token :host:port`, a common hand-edited variant); a ':' ending the line leaves an empty
    /// target, reported as such.
    /// </summary>
    private static int FindSeparator(string line)
    {
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == ':' && (char.IsWhiteSpace(line[i - 1]) || i + 1 == line.Length || char.IsWhiteSpace(line[i + 1])))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryParseTarget(string text, [NotNullWhen(true)] out ConsoleTarget? target, [NotNullWhen(false)] out string? error)
    {
        if (ConsoleTarget.TryParse(text, out var parsed, out var parseError))
        {
            target = parsed;
            error = null;
            return true;
        }

        // websockify splits at the last colon, so `::1:5900` meant host ::1, port 5900 there.
        var colon = text.LastIndexOf(':');
        if (colon > 0
            && IPAddress.TryParse(text[..colon], out var address)
            && address.AddressFamily == AddressFamily.InterNetworkV6
            && ConsoleTarget.TryParse($"[{text[..colon]}]{text[colon..]}", out parsed, out _))
        {
            target = parsed;
            error = null;
            return true;
        }

        target = null;
        error = parseError;
        return false;
    }
}
