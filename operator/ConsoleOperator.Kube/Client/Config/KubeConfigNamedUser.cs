using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>A <c>users[]</c> entry.</summary>
public sealed class KubeConfigNamedUser
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "user")]
    public KubeConfigUser? User { get; set; }
}
