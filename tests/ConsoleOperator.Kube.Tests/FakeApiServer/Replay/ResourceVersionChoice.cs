namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>How the <c>resourceVersion</c> query parameter of a recorded request is sent to the fake.</summary>
public enum ResourceVersionChoice
{
    /// <summary>Mapped through the pairs learned so far (unpaired values are sent literally).</summary>
    Translate,

    /// <summary>The fake's current revision: the recording used a fresh list RV that was not itself recorded.</summary>
    Fresh,

    /// <summary>One below the fake's compaction point: the recording's RV had been evicted by unrecorded churn.</summary>
    Stale,
}
