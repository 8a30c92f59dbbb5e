using System.Text.Json;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.Meta;

namespace ConsoleOperator.Kube.Client.Models.Core;

/// <summary>One port of a Service; targetPort may be a number or a container port name.</summary>
public sealed record ServicePort
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public int Port { get; set; }

    public IntOrString? TargetPort { get; set; }

    public int? NodePort { get; set; }

    public string? AppProtocol { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
