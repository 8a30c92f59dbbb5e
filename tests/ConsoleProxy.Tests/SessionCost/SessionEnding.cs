namespace ConsoleProxy.Tests.SessionCost;

/// <summary>How a counted session ends.</summary>
public enum SessionEnding
{
    /// <summary>The client drops the TCP connection with a reset once it has the greeting (the benchmark's session-rate client).</summary>
    ClientAborts,

    /// <summary>The client sends a close frame and waits for the proxy's answer and the end of the connection (a browser tab closed).</summary>
    ClientCloses,

    /// <summary>The VNC server hangs up after its greeting; the client answers the proxy's close frame (a VM shut down).</summary>
    TargetHangsUp,
}
