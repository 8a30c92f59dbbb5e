namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// How an informer lists and watches. The defaults are client-go's: watches of 5 to 10 minutes (randomized so that
/// many informers do not reconnect in lockstep), bookmarks on, and a backoff of 800 ms to 30 s between failures.
/// </summary>
public sealed record InformerOptions
{
    /// <summary>A name for logs and readiness reports; defaults to the resource (e.g. <c>widgets.example.dev/v1</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Only objects with these labels are listed, watched and cached: the way to bound an informer's memory.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Only objects matching these fields (e.g. <c>metadata.name=x</c>) are listed, watched and cached.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Items per LIST page; pages come from one snapshot, so the watch can start at its resourceVersion.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>The shortest server-side watch duration (timeoutSeconds); each watch picks a length in [min, max].</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// No line on a watch for this long means the connection is dead (a stalled proxy, a vanished node) and the watch
    /// is restarted from the last resourceVersion. Null: the watch's timeout plus 30 s, since a quiet watch may get
    /// no bookmark at all before the server ends it.
    /// </summary>
    public TimeSpan? WatchIdleTimeout { get; init; }

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each backoff delay is spread by up to this fraction either way (and kept within [initial, max]).</summary>
    public double BackoffJitter { get; init; } = 0.2;

    /// <summary>Throws, naming the option, when the options cannot work together.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinWatchTimeout, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWatchTimeout, MinWatchTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WatchIdleTimeout ?? TimeSpan.MaxValue, TimeSpan.Zero, nameof(WatchIdleTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InitialBackoff, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, InitialBackoff);
        if (!(BackoffJitter >= 0 && BackoffJitter < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffJitter), BackoffJitter, "BackoffJitter must be in [0, 1).");
        }
    }

    /// <summary>
    /// The delay before retry number <paramref name="failures"/> (from 0) of a list or watch: the step doubles from
    /// InitialBackoff up to MaxBackoff and is spread by BackoffJitter (<paramref name="random"/> in [0, 1)), so informers
    /// that failed together do not retry together; it always stays within [InitialBackoff, MaxBackoff].
    /// </summary>
    internal TimeSpan BackoffDelay(int failures, double random)
    {
        // Compared as a double, a huge exponent cannot overflow: it is only larger than the cap.
        var step = Math.Min(InitialBackoff.Ticks * Math.Pow(2, failures), MaxBackoff.Ticks);
        var spread = step * (1 + (BackoffJitter * ((2 * random) - 1)));
        return TimeSpan.FromTicks((long)Math.Clamp(spread, InitialBackoff.Ticks, MaxBackoff.Ticks));
    }
}
