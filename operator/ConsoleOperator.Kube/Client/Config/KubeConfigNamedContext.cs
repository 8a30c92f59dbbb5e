using YamlDotNet.Serialization;

namespace ConsoleOperator.Kube.Client.Config;

/// <summary>A <c>contexts[]</c> entry.</summary>
public sealed class KubeConfigNamedContext
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "context")]
    public KubeConfigContext? Context { get; set; }
}
