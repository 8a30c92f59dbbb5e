namespace ConsoleOperator.Crds.Schema;

/// <summary>Inclusive `minimum`/`maximum` for an integer field; the API server rejects values outside.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(long minimum, long maximum = long.MaxValue) : Attribute
{
    public long Minimum { get; } = minimum;

    public long Maximum { get; } = maximum;
}
