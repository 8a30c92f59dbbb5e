namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// One session-direction's latencies in microseconds, written by its single receive loop only while the
/// measurement window is open (warm-up and teardown are left out), merged after the run.
/// </summary>
public sealed class LatencyRecorder(MeasurementWindow window)
{
    private readonly List<uint> _samples = [];

    public IReadOnlyList<uint> Samples => _samples;

    /// <summary>Keeps the sample if the window is open; says whether it did.</summary>
    public bool Record(uint micros)
    {
        if (!window.IsOpen)
        {
            return false;
        }

        _samples.Add(micros);
        return true;
    }
}
