namespace ConsoleOperator.Crds.Schema;

/// <summary>Bounds on a list (`minItems`/`maxItems`) and, for lists of strings, a pattern every item must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute : Attribute
{
    public int MinItems { get; init; }

    public int MaxItems { get; init; } = int.MaxValue;

    public string? ItemPattern { get; init; }
}
