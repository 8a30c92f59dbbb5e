namespace TestKit.Schemas;

/// <summary>One violation: where in the object (a JSON path like <c>$.spec.template.spec.containers[0].image</c>) and what.</summary>
public sealed record SchemaError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
