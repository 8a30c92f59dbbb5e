using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>TLS served by the proxy pods themselves (nova's `ssl_only`).</summary>
public sealed record ProxyTlsSpec
{
    [Required]
    [Description("A kubernetes.io/tls Secret (tls.crt, tls.key) in the ConsoleProxy's namespace.")]
    public string SecretName { get; init; } = "";
}
