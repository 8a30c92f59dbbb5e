namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// The proxy could not establish the secured RFB connection to the VNC server. <see cref="Exception.Message"/> is short
/// (it is the close reason the browser shows after 4005, at most 123 bytes with its prefix); <see cref="Detail"/> is
/// what the log says.
/// </summary>
public sealed class TargetSecurityException(string message, string? detail = null, Exception? inner = null) : Exception(message, inner)
{
    public string Detail { get; } = detail ?? message;
}
