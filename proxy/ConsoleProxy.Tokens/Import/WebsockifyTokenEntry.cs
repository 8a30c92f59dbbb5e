using System.Globalization;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Import;

/// <summary>One `token: host:port` line of a websockify token file.</summary>
/// <param name="LineNumber">1-based line in the file, for messages that must not quote the token.</param>
/// <param name="Token">The raw token: hash it (<see cref="Hash"/>) before it goes anywhere.</param>
/// <param name="Target">Where the token leads.</param>
public sealed record WebsockifyTokenEntry(int LineNumber, string Token, ConsoleTarget Target)
{
    public TokenHash Hash => TokenHash.Of(Token);

    /// <summary>Without the token: records print every member by default, and entries get logged.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"line {LineNumber}: {Target}");
}
