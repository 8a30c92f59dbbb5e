using System.Globalization;

namespace ConsoleProxy.Tokens.Import;

/// <summary>A line of a websockify token file that cannot be imported, and why (never quoting the token).</summary>
public sealed record WebsockifyTokenFileError(int LineNumber, string Reason)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"line {LineNumber}: {Reason}");
}
