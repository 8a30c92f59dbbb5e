namespace ConsoleOperator.Kube.Client.Models.Meta;

/// <summary>One <c>matchExpressions</c> entry: operator In, NotIn, Exists or DoesNotExist.</summary>
public sealed record LabelSelectorRequirement
{
    public string Key { get; set; } = string.Empty;

    public string Operator { get; set; } = string.Empty;

    public List<string>? Values { get; set; }
}
