namespace ConsoleOperator.Crds.Schema;

/// <summary>
/// A value the API server fills in when the field is absent (structural-schema `default`), so what a
/// user reads back with kubectl is what the operator acts on.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
