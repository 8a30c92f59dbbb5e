using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Common;

/// <summary>A key in a Secret in the same namespace as the object that refers to it.</summary>
public sealed record SecretKeyReference
{
    [Required]
    [Description("Name of the Secret.")]
    public string Name { get; init; } = "";

    [Required]
    [Description("Key inside the Secret's data.")]
    public string Key { get; init; } = "";
}
