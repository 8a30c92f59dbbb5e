namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>How much of a recorded exchange the replay compares.</summary>
public enum StepMode
{
    /// <summary>Status code, content type, warnings and the normalized body.</summary>
    Full,

    /// <summary>Not sent: the fake deliberately does not model it (the reason says what).</summary>
    Excluded,

    /// <summary>Sent; only the status code and content type are compared.</summary>
    StatusCodeOnly,

    /// <summary>Sent; a Status body is compared except its message (which embeds Go-internal text).</summary>
    IgnoreMessage,

    /// <summary>Sent; a list's own resourceVersion is not paired (served from the lagging watch cache).</summary>
    IgnoreListResourceVersion,

    /// <summary>A list compared by its kind and item names only (item states depend on unrecorded writes).</summary>
    ListItemNames,

    /// <summary>A watch compared by event types and object names only (object states depend on unrecorded writes).</summary>
    WatchTypesAndNames,
}
