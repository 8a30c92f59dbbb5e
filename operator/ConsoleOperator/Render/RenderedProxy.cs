using System.Text.Json.Nodes;
using ConsoleOperator.Builders.Validation;

namespace ConsoleOperator.Render;

/// <summary>The outcome of rendering one ConsoleProxy document: the objects the operator would apply, or why it would not.</summary>
/// <param name="Source">Which document this is, for messages (`proxy.yaml#2 default/console`).</param>
/// <param name="Objects">The objects as JSON, in apply order; empty when there are problems.</param>
/// <param name="Problems">What to fix before the operator would apply anything.</param>
public sealed record RenderedProxy(string Source, IReadOnlyList<JsonObject> Objects, IReadOnlyList<ValidationProblem> Problems)
{
    public bool Succeeded => Problems.Count == 0;
}
