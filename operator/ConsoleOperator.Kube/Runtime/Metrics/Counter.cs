namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>One counter series: a value that only goes up (until the process restarts).</summary>
public sealed class Counter
{
    private double value;

    public double Value => Volatile.Read(ref value);

    public void Inc() => AtomicDouble.Add(ref value, 1);

    public void Inc(double amount)
    {
        // A counter that went down would read as a process restart to rate(): refuse it.
        if (!(amount >= 0) || double.IsPositiveInfinity(amount))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A counter only increases by a finite, non-negative amount.");
        }

        AtomicDouble.Add(ref value, amount);
    }
}
