using System.Text;
using TestKit.Fixtures;

namespace TestKit.Replay;

/// <summary>A request as the replay server saw it, for comparison with what the real server was sent.</summary>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<RecordedHeader> Headers,
    byte[] Body,
    string Protocol,
    string? ClientCertificateSubject)
{
    public string? Header(string name) => Headers.Find(name);

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Decoded query parameters of a target like <c>/path?a=1&amp;b=x%3Dy</c>, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        return rawQuery.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var parts = pair.Split('=', 2);
                return new KeyValuePair<string, string>(
                    Uri.UnescapeDataString(parts[0].Replace('+', ' ')),
                    parts.Length == 2 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : string.Empty);
            })
            .ToList();
    }
}
