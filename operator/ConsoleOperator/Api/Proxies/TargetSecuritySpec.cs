using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>
/// How the proxy pods authenticate to the compute nodes' VNC servers (nova's [vnc] auth_schemes and vencrypt_*): the
/// proxy negotiates the server's security itself and offers the browser None.
/// </summary>
public sealed record TargetSecuritySpec
{
    [Items(MinItems = 1, ItemPattern = "^(vencrypt|vencrypt-anon|vnc|none)$")]
    [Description("The VNC security types accepted, in order of preference (nova's auth_schemes): vencrypt (VeNCrypt with x509, the client certificate from tlsSecretName), vencrypt-anon (VeNCrypt TLSNone/TLSVnc: anonymous TLS, encrypted but the server shows no certificate; only for servers that offer nothing better, never implied by vencrypt), vnc (the VNC password a ConsoleToken carries), none. Default: [none].")]
    public List<string>? AuthSchemes { get; init; }

    [Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    [Description("A Secret in the ConsoleProxy's namespace with tls.crt and tls.key (the client certificate the compute nodes trust) and ca.crt (the CA their certificates must chain to; the target's name is checked too), as cert-manager writes it. Required for vencrypt and tls. Renewals reach running pods without a restart.")]
    public string? TlsSecretName { get; init; }

    [Description("RFB inside TLS from the first byte (websockify's --ssl-target), for servers behind a TLS terminator.")]
    public bool Tls { get; init; }
}
