namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The token store answered but refuses this configuration (wrong password or user, unknown master
/// name, a certificate that does not match the CA, a Redis Cluster): retrying cannot help, a person
/// has to fix the options, so the proxy stops at start-up instead of looking like an outage.
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
}
