namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// One gauge series: a value that goes up and down, either set by the code or read from a
/// function at scrape time (for values like "age of the oldest item" that change by themselves).
/// </summary>
public sealed class Gauge
{
    private double value;
    private Func<double>? read;

    public double Value
    {
        get
        {
            var source = Volatile.Read(ref read);
            if (source is null)
            {
                return Volatile.Read(ref value);
            }

            try
            {
                return source();
            }
            catch (Exception)
            {
                // A broken probe must not break the whole scrape: expose "unknown" instead.
                return double.NaN;
            }
        }
    }

    public void Set(double newValue)
    {
        Volatile.Write(ref read, null);
        Volatile.Write(ref value, newValue);
    }

    public void Inc() => AtomicDouble.Add(ref value, 1);

    public void Dec() => AtomicDouble.Add(ref value, -1);

    public void Add(double amount) => AtomicDouble.Add(ref value, amount);

    /// <summary>From now on the value is whatever <paramref name="source"/> returns at each scrape.</summary>
    public void SetFunction(Func<double> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Volatile.Write(ref read, source);
    }
}
