using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>Credentials: a client certificate and key (file or inline data), a bearer token, or a token file.</summary>
public sealed class KubeConfigUser
{
    [YamlMember(Alias = "client-certificate")]
    public string? ClientCertificate { get; set; }

    [YamlMember(Alias = "client-certificate-data")]
    public string? ClientCertificateData { get; set; }

    [YamlMember(Alias = "client-key")]
    public string? ClientKey { get; set; }

    [YamlMember(Alias = "client-key-data")]
    public string? ClientKeyData { get; set; }

    [YamlMember(Alias = "token")]
    public string? Token { get; set; }

    [YamlMember(Alias = "tokenFile")]
    public string? TokenFile { get; set; }

    [YamlMember(Alias = "exec")]
    public object? Exec { get; set; }

    [YamlMember(Alias = "auth-provider")]
    public object? AuthProvider { get; set; }
}
