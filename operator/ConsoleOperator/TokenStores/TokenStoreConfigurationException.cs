namespace ConsoleOperator.TokenStores;

/// <summary>
/// The operator cannot work out how to reach a ConsoleProxy's token store (e.g. its password Secret is missing).
/// Not a bad ConsoleToken: the token waits, and is retried when the proxy or the Secret is fixed.
/// </summary>
public sealed class TokenStoreConfigurationException : Exception
{
    public TokenStoreConfigurationException()
    {
    }

    public TokenStoreConfigurationException(string message)
        : base(message)
    {
    }

    public TokenStoreConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The Secret with the store's CA or client certificate, when that is what is missing or incomplete.</summary>
    public string? TlsSecret { get; init; }
}
