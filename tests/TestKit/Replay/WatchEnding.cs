namespace TestKit.Replay;

/// <summary>How a replayed watch stream ends after its last line.</summary>
public enum WatchEnding
{
    /// <summary>The terminating chunk, as the server sends at timeoutSeconds.</summary>
    Clean,

    /// <summary>The connection stays open and silent: a stalled or black-holed connection.</summary>
    Stall,

    /// <summary>The connection is torn down without the terminating chunk.</summary>
    Abort,
}
