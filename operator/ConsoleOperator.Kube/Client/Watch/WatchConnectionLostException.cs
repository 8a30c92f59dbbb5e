namespace ConsoleOperator.Kube.Client.Watch;

/// <summary>
/// The watch connection broke before the server ended the stream (reset, proxy restart, API server shutdown).
/// Resume from the last seen resourceVersion; a clean end at timeoutSeconds never raises this.
/// </summary>
public sealed class WatchConnectionLostException : IOException
{
    public WatchConnectionLostException()
        : base("the watch connection was lost")
    {
    }

    public WatchConnectionLostException(string message)
        : base(message)
    {
    }

    public WatchConnectionLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
