namespace ConsoleOperator.Kube.Runtime.Events;

/// <summary>
/// How events are reported, folded and throttled. The throttle is client-go's spam filter (a burst of 25 per
/// object, then one every 5 minutes); repeats of the same event within the series window become one Event whose
/// series count grows.
/// </summary>
public sealed record EventRecorderOptions
{
    /// <summary>reportingController, e.g. <c>example.dev/my-operator</c>.</summary>
    public required string ReportingController { get; init; }

    /// <summary>reportingInstance: which replica, e.g. the pod name.</summary>
    public required string ReportingInstance { get; init; }

    /// <summary>How many events may wait to be written; more are dropped (and counted) rather than blocking anyone.</summary>
    public int Capacity { get; init; } = 1024;

    /// <summary>A repeat within this long of the previous occurrence updates the existing Event's series.</summary>
    public TimeSpan SeriesWindow { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>How many events one object may get at once.</summary>
    public int BurstPerObject { get; init; } = 25;

    /// <summary>How long an object's bucket takes to regain one event.</summary>
    public TimeSpan RefillInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Series and buckets remembered at most (the least recently used are forgotten first).</summary>
    public int MaxTrackedObjects { get; init; } = 4096;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ReportingController);
        ArgumentException.ThrowIfNullOrWhiteSpace(ReportingInstance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReportingController.Length, 128);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReportingInstance.Length, 128);
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(BurstPerObject, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrackedObjects, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SeriesWindow, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RefillInterval, TimeSpan.Zero);
    }
}
