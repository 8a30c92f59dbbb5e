using ConsoleProxy.Reloading;
using ConsoleProxy.Tokens.Secrets;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// The `--vnc-password-key` keyring, read again when the file changes (looked at at most once a second), so a key the
/// operator (or a person) adds in front takes effect in running pods: new tokens are sealed with it, older records
/// still open with the keys after it. A changed file that cannot be read keeps the keyring in use.
/// </summary>
public sealed class ReloadingVncPasswordKeyring(string path, TimeProvider timeProvider)
{
    private readonly ReloadingFile<VncPasswordKeyring> _file = new(
        path,
        timeProvider,
        VncPasswordKeyring.Load,
        e => e is IOException or UnauthorizedAccessException or FormatException,
        e => new TargetSecurityException("the proxy's --vnc-password-key cannot be read", $"--vnc-password-key {path} cannot be read: {e.Message}", e));

    /// <summary>The keyring for a new session; <see cref="TargetSecurityException"/> when it has never been readable.</summary>
    public VncPasswordKeyring Current => _file.Current;
}
