using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.ApiExtensions;

/// <summary>One served version with its schema.</summary>
public sealed record CustomResourceDefinitionVersion
{
    public string Name { get; set; } = string.Empty;

    public bool Served { get; set; }

    public bool Storage { get; set; }

    public bool? Deprecated { get; set; }

    public string? DeprecationWarning { get; set; }

    public CustomResourceValidation? Schema { get; set; }

    public CustomResourceSubresources? Subresources { get; set; }

    public List<CustomResourceColumnDefinition>? AdditionalPrinterColumns { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
