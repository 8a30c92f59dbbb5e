namespace ConsoleProxy.WebSockets.Handshake;

/// <summary>Why a WebSocket upgrade request is malformed: the HTTP status, a short reason, and for 426 the version to offer.</summary>
public sealed record UpgradeRefusal(int StatusCode, string Reason, string? SupportedVersion = null);
