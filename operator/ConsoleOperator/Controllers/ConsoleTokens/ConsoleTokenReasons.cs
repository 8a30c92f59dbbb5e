namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>The reasons on a ConsoleToken's conditions and events: CamelCase, stable, for `kubectl` and alerts.</summary>
public static class ConsoleTokenReasons
{
    // Why a token is Invalid (nothing was minted).
    public const string ProxyNotFound = "ProxyNotFound";
    public const string NamespaceNotAllowed = "NamespaceNotAllowed";
    public const string TargetInvalid = "TargetInvalid";
    public const string TargetNotResolvable = "TargetNotResolvable";
    public const string TargetNotAllowed = "TargetNotAllowed";
    public const string TTLTooLong = "TTLTooLong";
    public const string ProxyPolicyInvalid = "ProxyPolicyInvalid";
    public const string KindNotServed = "KindNotServed";
    public const string VncPasswordUnsupported = "VncPasswordUnsupported";
    public const string ProxyURLInvalid = "ProxyURLInvalid";
    public const string ShareOfNotActive = "ShareOfNotActive";
    public const string ShareMismatch = "ShareMismatch";

    // Life of a minted token.
    public const string Minted = "Minted";
    public const string Restored = "Restored";
    public const string Expired = "Expired";
    public const string Consumed = "Consumed";
    public const string Revoked = "Revoked";
    public const string ProxyDeleted = "ProxyDeleted";
    public const string SecretDeleted = "SecretDeleted";
    public const string SecretDamaged = "SecretDamaged";
    public const string SecretConflict = "SecretConflict";

    // Waiting on the token store.
    public const string Minting = "Minting";
    public const string Connected = "Connected";
    public const string TokenStoreUnreachable = "TokenStoreUnreachable";
    public const string TokenStoreMisconfigured = "TokenStoreMisconfigured";

    // The token store answers but refuses the ConsoleProxy's settings: the same reasons as its TokenStoreReady.
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string SentinelMasterUnknown = "SentinelMasterUnknown";
    public const string TlsVerificationFailed = "TlsVerificationFailed";
    public const string ClusterModeUnsupported = "ClusterModeUnsupported";
}
