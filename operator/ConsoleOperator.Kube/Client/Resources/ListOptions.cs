namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>Query options of a LIST.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size. Ignored by the server when served from the watch cache (resourceVersion "0", fixture 04/07).</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }
}
