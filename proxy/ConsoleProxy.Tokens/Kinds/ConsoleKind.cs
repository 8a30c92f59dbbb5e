namespace ConsoleProxy.Tokens.Kinds;

/// <summary>
/// Which console a token opens, as nova has a proxy per kind (nova-novncproxy, nova-serialproxy,
/// nova-spicehtml5proxy). The kind decides the page the access URL opens, the allow-list the target
/// must pass and what the proxy relays (RFB, or raw serial bytes).
/// </summary>
public enum ConsoleKind
{
    /// <summary>A VNC server (RFB); the default, and what every record written before kinds existed means.</summary>
    Vnc,

    /// <summary>A VM's serial port over TCP (QEMU `-serial tcp:...,server=on`, libvirt's TCP serial, a concentrator): raw bytes.</summary>
    Serial,

    /// <summary>A SPICE server: raw bytes, one WebSocket per SPICE channel (main, display, inputs, cursor, ...) of one client.</summary>
    Spice,
}
