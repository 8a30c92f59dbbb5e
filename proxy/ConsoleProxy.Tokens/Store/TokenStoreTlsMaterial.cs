namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// A token store's TLS material held in memory: the PEM CA bundle the server's certificate must chain to, and a
/// PEM client certificate with its key, each optional.
/// </summary>
/// <param name="Source">Where it came from, for messages (e.g. "Secret consoles/redis-ca"); never the PEM itself.</param>
public sealed record TokenStoreTlsMaterial(string Source, string? CaPem = null, string? ClientCertificatePem = null, string? ClientKeyPem = null)
{
    /// <summary>Hides the PEM text: the key is a secret and options end up in messages.</summary>
    public override string ToString() => Source;
}
