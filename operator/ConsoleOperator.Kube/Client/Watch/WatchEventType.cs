namespace ConsoleOperator.Kube.Client.Watch;

/// <summary>The event types a watch delivers to its consumer; ERROR events become exceptions instead.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,

    /// <summary>Only the resourceVersion is meaningful; the object is an empty shell (fixture 11/08).</summary>
    Bookmark,
}
