namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>Options of a WATCH. Bookmarks are always requested: they keep the resourceVersion fresh on quiet resources.</summary>
public sealed record WatchOptions
{
    /// <summary>Start after this version (normally the LIST's). Null or "0" first replays the current objects as ADDED.</summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>The server ends the stream cleanly after this long; the enumeration then just completes.</summary>
    public int? TimeoutSeconds { get; init; } = 300;

    /// <summary>
    /// No line within this long ends the watch with a TimeoutException. Must exceed the bookmark spacing
    /// (60 s) but a quiet watch gets no bookmark at all (fixture 11/04), so it must also exceed <see cref="TimeoutSeconds"/>
    /// or an idle resource would look dead; the default is TimeoutSeconds plus 30 s.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }

    internal TimeSpan EffectiveIdleTimeout =>
        IdleTimeout ?? TimeSpan.FromSeconds((TimeoutSeconds ?? 1800) + 30);
}
