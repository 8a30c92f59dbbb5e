namespace ConsoleOperator.Crds.Schema;

/// <summary>The field must be present: it goes into the parent object's `required` list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;
