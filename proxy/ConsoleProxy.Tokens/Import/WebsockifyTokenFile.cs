namespace ConsoleProxy.Tokens.Import;

/// <summary>
/// A websockify `TokenFile` (the `--token-plugin TokenFile --token-source FILE` format): the migration
/// path from websockify. Each line is `token: host:port`; blank lines and lines starting with `#`
/// are skipped. As in websockify, the token ends at the first colon followed by white space, so a
/// target may itself contain colons (`tok: [::1]:5900`).
/// </summary>
/// <remarks>
/// Stricter than websockify where websockify is unsafe: tokens shorter than
/// <see cref="MinimumTokenLength"/> characters are refused (websockify files often hold short,
/// guessable tokens such as VM names), and a token given twice is refused on its later line rather
/// than silently overriding the earlier one. A bare IPv6 target (`tok: ::1:5900`) is read the way
/// websockify reads it, port after the last colon. Errors name the line, never the token.
/// </remarks>
public sealed class WebsockifyTokenFile
{
    public const int MinimumTokenLength = 20;

    internal WebsockifyTokenFile(IReadOnlyList<WebsockifyTokenEntry> entries, IReadOnlyList<WebsockifyTokenFileError> errors)
    {
        Entries = entries;
        Errors = errors;
    }

    /// <summary>The lines that can be imported, in file order.</summary>
    public IReadOnlyList<WebsockifyTokenEntry> Entries { get; }

    /// <summary>The lines that cannot, in file order.</summary>
    public IReadOnlyList<WebsockifyTokenFileError> Errors { get; }

    public static WebsockifyTokenFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new WebsockifyTokenFileBuilder();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            builder.Add(line);
        }

        return builder.Build();
    }

    /// <summary>Reads a file or stdin line by line, so a file of millions of tokens is never held as one string.</summary>
    public static async Task<WebsockifyTokenFile> ReadAsync(TextReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var builder = new WebsockifyTokenFileBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            builder.Add(line);
        }

        return builder.Build();
    }
}
