namespace ConsoleProxy.Tokens.Store;

/// <summary>The token store could not be reached or did not answer in time.</summary>
public sealed class TokenStoreUnavailableException : Exception
{
    public TokenStoreUnavailableException()
    {
    }

    public TokenStoreUnavailableException(string message)
        : base(message)
    {
    }

    public TokenStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
