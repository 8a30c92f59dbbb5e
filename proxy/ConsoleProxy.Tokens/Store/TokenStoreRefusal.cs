namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// Why a token store answered but refused the options: each names what a person has to change, so callers (the
/// proxy's start-up, the operator's ConsoleProxy status) can say which setting and never mistake it for an outage.
/// </summary>
public enum TokenStoreRefusal
{
    /// <summary>Wrong password, or an ACL user that does not exist, is disabled, or has another password.</summary>
    AuthenticationFailed,

    /// <summary>The sentinels answer but monitor no primary of the configured master name.</summary>
    SentinelMasterUnknown,

    /// <summary>
    /// The TLS handshake failed on certificates: the server's is not signed by the configured CA or names another host,
    /// or the server refused (or wanted and did not get) our client certificate.
    /// </summary>
    TlsVerificationFailed,

    /// <summary>The server is a Redis Cluster, which the token store does not support.</summary>
    ClusterModeUnsupported,
}
