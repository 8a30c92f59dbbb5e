using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>The YAML shape of one kubeconfig file, as kubectl writes it. Only what a client needs is mapped.</summary>
public sealed class KubeConfigFile
{
    [YamlMember(Alias = "current-context")]
    public string? CurrentContext { get; set; }

    [YamlMember(Alias = "clusters")]
    public List<KubeConfigNamedCluster>? Clusters { get; set; }

    [YamlMember(Alias = "contexts")]
    public List<KubeConfigNamedContext>? Contexts { get; set; }

    [YamlMember(Alias = "users")]
    public List<KubeConfigNamedUser>? Users { get; set; }
}
