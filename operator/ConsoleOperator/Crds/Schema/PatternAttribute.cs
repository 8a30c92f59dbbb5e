namespace ConsoleOperator.Crds.Schema;

/// <summary>An ECMA regular expression the string must match (`pattern`).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
