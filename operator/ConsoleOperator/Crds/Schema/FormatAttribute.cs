namespace ConsoleOperator.Crds.Schema;

/// <summary>An OpenAPI `format` for a string field (`date-time`, `uri`, ...).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}
