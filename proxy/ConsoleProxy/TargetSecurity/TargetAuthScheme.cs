namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// How the proxy may authenticate to a VNC server when it negotiates RFB security itself (nova's `[vnc] auth_schemes`).
/// </summary>
public enum TargetAuthScheme
{
    /// <summary>VeNCrypt with x509 (RFB security type 19, subtype X509None): TLS with the proxy's client certificate.</summary>
    VeNCrypt,

    /// <summary>No authentication (security type 1), in clear.</summary>
    None,
}
