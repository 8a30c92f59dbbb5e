using TestKit.FakeApiServer;

namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>One thing the replay does, in order.</summary>
public abstract record ReplayAction
{
    /// <summary>Send a recorded request and compare (a watch is read until its clean end on the manual clock).</summary>
    public sealed record Send(string Dir, StepMode Mode = StepMode.Full, string? Reason = null, ResourceVersionChoice Rv = ResourceVersionChoice.Translate) : ReplayAction;

    /// <summary>Send a prerequisite from an earlier scenario: only its status code is checked.</summary>
    public sealed record Setup(string Dir) : ReplayAction;

    /// <summary>Open a watch and leave it running while the following steps mutate objects.</summary>
    public sealed record OpenWatch(string Dir, StepMode Mode = StepMode.Full) : ReplayAction;

    /// <summary>Advance the manual clock until every open watch ended, then compare them.</summary>
    public sealed record FinishWatches : ReplayAction;

    /// <summary>Compact the fake's history (stands in for the real compactor / cache eviction the recording waited for).</summary>
    public sealed record Compact(string Why) : ReplayAction;

    /// <summary>Continue on a fresh fake server (the recording switched to another apiserver run).</summary>
    public sealed record NewServer(FakeApiServerOptions Options, string Why) : ReplayAction;
}
