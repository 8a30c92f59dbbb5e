using ConsoleProxy.Tokens.Secrets;

namespace ConsoleOperator.Builders.TargetSecurity;

/// <summary>
/// A ConsoleProxy's VNC password keyring as the Secret builder gets it: the one already in the cluster (kept: a new
/// key would leave every sealed password unreadable), a fresh one, or withheld (`render` prints no secret).
/// </summary>
public sealed record VncPasswordKeys
{
    /// <summary>The key of the keyring file in its Secret.</summary>
    public const string SecretKey = "keyring";

    private VncPasswordKeys(string? keyring) => Keyring = keyring;

    /// <summary>The keyring file (base64 keys, one per line; the first seals), or null when withheld.</summary>
    public string? Keyring { get; }

    public bool IsWithheld => Keyring is null;

    public static VncPasswordKeys Withheld { get; } = new((string?)null);

    /// <summary>The keyring in the cluster when it parses, else a new one with one key.</summary>
    public static VncPasswordKeys KeepOrGenerate(string? existing) =>
        existing is not null && IsValid(existing) ? new VncPasswordKeys(existing) : new VncPasswordKeys(VncPasswordKeyring.NewKeyLine() + "\n");

    /// <summary>The keyring to seal and open with; null when withheld.</summary>
    public VncPasswordKeyring? Open(string source) => Keyring is null ? null : VncPasswordKeyring.Parse(Keyring.Split('\n'), source);

    /// <summary>Never prints the keys.</summary>
    public override string ToString() => IsWithheld ? "VncPasswordKeys(withheld)" : "VncPasswordKeys(set)";

    private static bool IsValid(string keyring)
    {
        try
        {
            _ = VncPasswordKeyring.Parse(keyring.Split('\n'), "the existing Secret");
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
