namespace TestKit.Processes;

/// <summary>What `consoleproxy token create --output json` prints.</summary>
public sealed record MintedToken(string Token, string Url, DateTimeOffset ExpiresAt, string TokenHash);
