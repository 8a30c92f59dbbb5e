namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>The server's answer could not be understood (malformed JSON, an unknown watch event type).</summary>
public sealed class KubernetesProtocolException : Exception
{
    public KubernetesProtocolException()
        : base("unreadable answer from the Kubernetes API server")
    {
    }

    public KubernetesProtocolException(string message)
        : base(message)
    {
    }

    public KubernetesProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
