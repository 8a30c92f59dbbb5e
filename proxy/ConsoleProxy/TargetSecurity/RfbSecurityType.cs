namespace ConsoleProxy.TargetSecurity;

/// <summary>The RFB security types and VeNCrypt subtypes the proxy knows by name (RFC 6143 7.1.2, VeNCrypt 0.2).</summary>
public static class RfbSecurityType
{
    public const byte None = 1;
    public const byte VncAuthentication = 2;
    public const byte VeNCrypt = 19;

    public const uint TlsNone = 257;
    public const uint TlsVnc = 258;
    public const uint TlsPlain = 259;
    public const uint X509None = 260;
    public const uint X509Vnc = 261;
    public const uint X509Plain = 262;

    /// <summary>The VeNCrypt subtypes whose TLS is anonymous: no certificate, so no proof of whom the proxy talks to.</summary>
    public static bool IsAnonymousTls(uint subtype) => subtype is TlsNone or TlsVnc or TlsPlain or 263;

    public static string Name(byte type) => type switch
    {
        None => "None",
        VncAuthentication => "VNC authentication",
        VeNCrypt => "VeNCrypt",
        5 => "RA2",
        16 => "Tight",
        18 => "TLS",
        20 => "SASL",
        _ => $"type {type}",
    };

    public static string SubtypeName(uint subtype) => subtype switch
    {
        TlsNone => "TLSNone",
        TlsVnc => "TLSVnc",
        TlsPlain => "TLSPlain",
        X509None => "X509None",
        X509Vnc => "X509Vnc",
        X509Plain => "X509Plain",
        263 => "TLSSASL",
        264 => "X509SASL",
        _ => $"subtype {subtype}",
    };
}
