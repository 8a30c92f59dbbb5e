namespace ConsoleOperator.Kube.Runtime.Queue;

/// <summary>
/// The work held by workers right now: the summed time all of them have held their keys (grows
/// when workers are stuck), and the time the longest-running one has held its key.
/// </summary>
public readonly record struct InFlightWork(TimeSpan Unfinished, TimeSpan LongestRunning);
