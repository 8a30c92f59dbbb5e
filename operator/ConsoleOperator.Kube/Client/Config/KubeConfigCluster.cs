using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>How to reach and trust an API server. There is no insecure-skip-tls-verify: such a file is refused.</summary>
public sealed class KubeConfigCluster
{
    [YamlMember(Alias = "server")]
    public string? Server { get; set; }

    [YamlMember(Alias = "certificate-authority")]
    public string? CertificateAuthority { get; set; }

    [YamlMember(Alias = "certificate-authority-data")]
    public string? CertificateAuthorityData { get; set; }

    [YamlMember(Alias = "tls-server-name")]
    public string? TlsServerName { get; set; }

    [YamlMember(Alias = "insecure-skip-tls-verify")]
    public bool InsecureSkipTlsVerify { get; set; }
}
