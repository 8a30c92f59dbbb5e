namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>
/// No line arrived on a watch for longer than the idle timeout: the connection is dropped or stalled somewhere we
/// cannot see (a NAT, a dead node). The watcher restarts from its last resourceVersion instead of hanging.
/// </summary>
public sealed class WatchIdleTimeoutException : TimeoutException
{
    public WatchIdleTimeoutException(TimeSpan idleTimeout)
        : base($"no watch event or bookmark for {idleTimeout.TotalSeconds:0.###} s: the connection is considered dead")
    {
        IdleTimeout = idleTimeout;
    }

    public WatchIdleTimeoutException()
        : base("no watch event within the idle timeout")
    {
    }

    public WatchIdleTimeoutException(string message)
        : base(message)
    {
    }

    public WatchIdleTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TimeSpan IdleTimeout { get; }
}
