using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>
/// metav1.OwnerReference. The server returns them in the order given (fixture 15/03). All four identifying fields
/// are required by the server, yet nullable here so an object read with one missing is written back unchanged.
/// </summary>
public sealed record OwnerReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public bool? Controller { get; set; }

    public bool? BlockOwnerDeletion { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>
    /// The controller reference to <paramref name="owner"/> (controller and blockOwnerDeletion true), as an operator
    /// puts on what it creates. The owner must have been read from the server: its uid is required.
    /// </summary>
    public static OwnerReference ControlledBy(IKubernetesObject owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (string.IsNullOrEmpty(owner.ApiVersion) || string.IsNullOrEmpty(owner.Kind)
            || string.IsNullOrEmpty(owner.Metadata.Name) || string.IsNullOrEmpty(owner.Metadata.Uid))
        {
            // The server refuses an owner reference without uid (fixture 15/05); fail where the mistake is made.
            throw new ArgumentException("an owner needs apiVersion, kind, metadata.name and metadata.uid", nameof(owner));
        }

        return new OwnerReference
        {
            ApiVersion = owner.ApiVersion,
            Kind = owner.Kind,
            Name = owner.Metadata.Name,
            Uid = owner.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }
}
