namespace ConsoleOperator.Kube.Runtime.Events;

/// <summary>The Event written for a series of repeats: where it is, how often it happened, when last.</summary>
internal sealed class EventSeriesEntry(string @namespace, string name, DateTimeOffset lastObserved)
{
    public string Namespace { get; } = @namespace;

    public string Name { get; } = name;

    /// <summary>Occurrences so far; the first write has 1 and no series.</summary>
    public int Count { get; set; } = 1;

    public DateTimeOffset LastObserved { get; set; } = lastObserved;
}
