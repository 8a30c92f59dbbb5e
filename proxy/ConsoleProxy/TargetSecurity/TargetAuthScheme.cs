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

    /// <summary>
    /// VeNCrypt with anonymous TLS (subtypes TLSNone, or TLSVnc with the token's password): encrypted, but the server
    /// shows no certificate, so nothing proves it is the compute node. Never implied by <see cref="VeNCrypt"/>; only
    /// for servers that offer nothing better (QEMU with tls-creds-anon), named explicitly as `vencrypt-anon`.
    /// </summary>
    VeNCryptAnonymous,

    /// <summary>VNC authentication (security type 2) with the token's VNC password, in clear (the challenge is DES).</summary>
    Vnc,

    /// <summary>No authentication (security type 1), in clear.</summary>
    None,
}
