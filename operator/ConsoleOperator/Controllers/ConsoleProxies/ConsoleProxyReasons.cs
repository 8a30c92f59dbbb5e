namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>The reasons of a ConsoleProxy's conditions and events: each names what happened, the message says what to do.</summary>
public static class ConsoleProxyReasons
{
    public const string InvalidSpec = "InvalidSpec";

    public const string ApplyRejected = "ApplyRejected";

    public const string AsExpected = "AsExpected";

    public const string ProxiesAvailable = "ProxiesAvailable";

    public const string PodsNotReady = "PodsNotReady";

    public const string ScaledToZero = "ScaledToZero";

    public const string RollingOut = "RollingOut";

    public const string RolloutComplete = "RolloutComplete";

    public const string RolloutStuck = "RolloutStuck";

    public const string TokenStoreUnreachable = "TokenStoreUnreachable";

    public const string Reachable = "Reachable";

    public const string Unreachable = "Unreachable";

    public const string PasswordSecretMissing = "PasswordSecretMissing";

    public const string PasswordSecretInvalid = "PasswordSecretInvalid";

    public const string InvalidConfiguration = "InvalidConfiguration";

    /// <summary>The external token store's CA or client certificate Secret is missing or lacks its key.</summary>
    public const string TlsSecretMissing = "TlsSecretMissing";

    /// <summary>The token store refused the password or ACL user from the ConsoleProxy's Secrets.</summary>
    public const string AuthenticationFailed = "AuthenticationFailed";

    /// <summary>The sentinels answer but monitor no primary of spec.tokenStore.external.sentinel.masterName.</summary>
    public const string SentinelMasterUnknown = "SentinelMasterUnknown";

    /// <summary>The TLS handshake failed on certificates: the server's against the CA Secret, or ours at the server.</summary>
    public const string TlsVerificationFailed = "TlsVerificationFailed";

    /// <summary>The external store is a Redis Cluster, which is not supported.</summary>
    public const string ClusterModeUnsupported = "ClusterModeUnsupported";

    public const string Applied = "Applied";

    public const string Deleted = "Deleted";

    public const string TokenStoreReachable = "TokenStoreReachable";
}
