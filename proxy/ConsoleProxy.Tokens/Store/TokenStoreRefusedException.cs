namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The token store answered but refuses this configuration (wrong password or user, unknown master
/// name, a certificate that does not match the CA, a Redis Cluster): retrying cannot help, a person
/// has to fix the options, so the proxy stops at start-up instead of looking like an outage.
/// <see cref="Exception.Message"/> names the command-line options to fix; callers with other settings (the
/// operator's Secrets) build their own sentence from <see cref="Refusal"/> and <see cref="Detail"/>.
/// </summary>
public sealed class TokenStoreRefusedException : Exception
{
    public TokenStoreRefusedException()
    {
    }

    public TokenStoreRefusedException(string message)
        : base(message)
    {
    }

    public TokenStoreRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TokenStoreRefusedException(TokenStoreRefusal refusal, string detail, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Refusal = refusal;
        Detail = detail;
    }

    /// <summary>What was refused.</summary>
    public TokenStoreRefusal Refusal { get; }

    /// <summary>What the server (or the TLS layer) said, on one line and without a password: "WRONGPASS ...", "unknown ca".</summary>
    public string Detail { get; } = string.Empty;

    /// <summary>For <see cref="TokenStoreRefusal.SentinelMasterUnknown"/>: the master names the sentinels do monitor, when they said.</summary>
    public IReadOnlyList<string> KnownMasterNames { get; init; } = [];

    /// <summary>For <see cref="TokenStoreRefusal.TlsVerificationFailed"/>: the server refused the client certificate (or its absence), not we its certificate.</summary>
    public bool ClientCertificateRefused { get; init; }
}
