using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>A <c>clusters[]</c> entry.</summary>
public sealed class KubeConfigNamedCluster
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "cluster")]
    public KubeConfigCluster? Cluster { get; set; }
}
