namespace ConsoleOperator.Hosting;

/// <summary>The operator cannot start with these settings or this cluster configuration; the message says what to change.</summary>
public sealed class OperatorConfigurationException : Exception
{
    public OperatorConfigurationException()
    {
    }

    public OperatorConfigurationException(string message)
        : base(message)
    {
    }

    public OperatorConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
