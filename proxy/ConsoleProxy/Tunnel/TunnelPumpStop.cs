namespace ConsoleProxy.Tunnel;

/// <summary>Why one of the tunnel's two pumps stopped without an error of its own.</summary>
public enum TunnelPumpStop
{
    /// <summary>The native viewer hung up (its end read, or a write to it refused).</summary>
    ViewerLeft,

    /// <summary>The proxy sent its close frame.</summary>
    ConsoleClosed,
}
