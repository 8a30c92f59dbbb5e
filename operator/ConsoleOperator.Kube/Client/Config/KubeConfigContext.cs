using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>A cluster, a user and a default namespace.</summary>
public sealed class KubeConfigContext
{
    [YamlMember(Alias = "cluster")]
    public string? Cluster { get; set; }

    [YamlMember(Alias = "user")]
    public string? User { get; set; }

    [YamlMember(Alias = "namespace")]
    public string? Namespace { get; set; }
}
