using System.Diagnostics.CodeAnalysis;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// Opens the VNC password a token record carries sealed, with the keyring of `--vnc-password-key`, for the one
/// handshake that needs it. The password is never logged; the errors say why it could not be opened, not what it is.
/// </summary>
public sealed class TokenVncPasswords(ReloadingVncPasswordKeyring? keyring)
{
    /// <summary>True with <paramref name="password"/> null when the token carries no password.</summary>
    public bool TryOpen(TokenRecord record, TokenHash hash, out string? password, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(record);
        password = null;
        error = null;
        if (record.SealedVncPassword is not { } sealedPassword)
        {
            return true;
        }

        if (keyring is null)
        {
            error = "the token carries a VNC password and the proxy has no --vnc-password-key";
            return false;
        }

        return VncPasswordSeal.TryOpen(sealedPassword, hash, keyring.Current, out password, out error);
    }
}
