namespace ConsoleProxy.Relay;

/// <summary>How one direction of the relay stopped.</summary>
internal enum PumpEnd
{
    /// <summary>The source ended its stream cleanly (TCP FIN from the VNC server, a close frame from the browser).</summary>
    SourceClosed,

    /// <summary>A read or write failed: a reset, an abort, or a socket we disposed to stop the pump.</summary>
    Failed,

    /// <summary>The browser broke the WebSocket protocol; the connection has sent it the matching close frame.</summary>
    ProtocolViolation,
}
