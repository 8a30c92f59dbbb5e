using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Tokens;

/// <summary>The ConsoleProxy a token is minted for.</summary>
public sealed record ProxyReference
{
    [Required]
    public string Name { get; init; } = "";

    [Description("Namespace of the ConsoleProxy (default: the ConsoleToken's own).")]
    public string? Namespace { get; init; }
}
