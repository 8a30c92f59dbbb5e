namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// One session-direction's latencies in microseconds, of the messages sent inside the measurement window
/// (warm-up and teardown are left out), written by one thread at a time and merged after the run.
/// </summary>
public sealed class LatencyRecorder(MeasurementWindow window)
{
    private readonly List<uint> _samples = [];

    public IReadOnlyList<uint> Samples => _samples;

    /// <summary>Keeps the sample if the message was sent inside the window; says whether it did.</summary>
    public bool Record(uint sentMicros, uint latencyMicros)
    {
        if (!window.Contains(sentMicros))
        {
            return false;
        }

        _samples.Add(latencyMicros);
        return true;
    }
}
