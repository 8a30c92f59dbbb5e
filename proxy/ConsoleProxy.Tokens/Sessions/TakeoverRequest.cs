namespace ConsoleProxy.Tokens.Sessions;

/// <summary>A takeover another proxy asked of this one (<see cref="SessionDirectory.RequestTakeoverAsync"/>).</summary>
/// <param name="SessionId">The session to close, inside the proxy it is addressed to.</param>
/// <param name="Limit">The limit's text, for the close reason.</param>
public sealed record TakeoverRequest(long SessionId, string Limit);
