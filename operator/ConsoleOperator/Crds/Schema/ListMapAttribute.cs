namespace ConsoleOperator.Crds.Schema;

/// <summary>
/// A list merged by key (`x-kubernetes-list-type: map`), as conditions are: server-side apply then
/// owns each entry separately instead of the whole list.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    public IReadOnlyList<string> Keys { get; } = keys;
}
