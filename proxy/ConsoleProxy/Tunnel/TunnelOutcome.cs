namespace ConsoleProxy.Tunnel;

/// <summary>How a tunnelled session ended, in words for the person who ran `consoleproxy connect`, and its exit code.</summary>
public sealed record TunnelOutcome(bool Succeeded, string Message)
{
    public static TunnelOutcome ClientLeft() => new(true, "the VNC client disconnected; the session is over");

    public static TunnelOutcome ConnectionLost() => new(false, "the connection to the proxy was lost");

    public static TunnelOutcome Unreachable(string reason) => new(false, $"cannot reach the proxy: {reason}");

    public static TunnelOutcome Refused(int status) => new(false, status switch
    {
        403 => "the proxy refused the console (HTTP 403): the token is unknown, expired, already used or revoked, or its target is not allowed",
        503 => "the proxy cannot take the session now (HTTP 503): it is at capacity, draining, or its token store is down; try again",
        404 => "no console proxy answers at that address (HTTP 404)",
        _ => $"the proxy refused the console (HTTP {status})",
    });

    /// <summary>A close from the proxy: 1000 is the end of a normal session, anything else says why the proxy ended it.</summary>
    public static TunnelOutcome Closed(int code, string? reason) => code is 1000
        ? new(true, "the console session ended")
        : new(false, $"the proxy closed the session: {code}{(string.IsNullOrEmpty(reason) ? string.Empty : " " + reason)}");
}
