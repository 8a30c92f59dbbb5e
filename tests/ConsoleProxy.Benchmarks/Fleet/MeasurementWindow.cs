namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>Whether the live-console measurement is counting: opened after the warm-up, closed before teardown.</summary>
public sealed class MeasurementWindow
{
    private volatile bool _open;

    public bool IsOpen => _open;

    public void Open() => _open = true;

    public void Close() => _open = false;
}
