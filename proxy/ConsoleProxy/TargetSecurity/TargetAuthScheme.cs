namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// How the proxy may authenticate to a VNC server when it negotiates RFB security itself (nova's `[vnc] auth_schemes`).
/// </summary>
public enum TargetAuthScheme
{
    /// <summary>
    /// VeNCrypt with x509 (RFB security type 19): TLS with the proxy's client certificate, subtype X509None, or X509Vnc
    /// when the token carries the VM's VNC password.
    /// </summary>
    VeNCrypt,

    /// <summary>VNC authentication (security type 2) with the token's VNC password, in clear (the challenge is DES).</summary>
    Vnc,

    /// <summary>No authentication (security type 1), in clear.</summary>
    None,
}
