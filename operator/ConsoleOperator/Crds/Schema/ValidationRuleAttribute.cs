namespace ConsoleOperator.Crds.Schema;

/// <summary>
/// A CEL rule (`x-kubernetes-validations`) checked by the API server on the annotated object or field,
/// for what plain OpenAPI cannot say: one-of choices, immutability (`self == oldSelf`).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ValidationRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;
}
