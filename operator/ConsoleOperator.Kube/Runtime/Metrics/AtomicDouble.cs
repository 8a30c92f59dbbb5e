namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>Lock-free arithmetic on a shared double: the hot path of counters, gauges and histogram sums.</summary>
internal static class AtomicDouble
{
    public static void Add(ref double location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + value, current);

            // Compare bit patterns: NaN never equals itself and would otherwise spin forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}
