namespace ConsoleOperator.Kube.Runtime.Metrics;

/// <summary>
/// The label values of one series, compared by content so a family finds the same child for the
/// same values. Ordered ordinally value by value, which gives the exposition a stable order.
/// </summary>
internal readonly struct LabelValues : IEquatable<LabelValues>, IComparable<LabelValues>
{
    private readonly string[] values;

    public LabelValues(string[] values) => this.values = values;

    public IReadOnlyList<string> Values => values ?? [];

    public bool Equals(LabelValues other)
    {
        var mine = Values;
        var theirs = other.Values;
        if (mine.Count != theirs.Count)
        {
            return false;
        }

        for (var i = 0; i < mine.Count; i++)
        {
            if (!string.Equals(mine[i], theirs[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int CompareTo(LabelValues other)
    {
        var mine = Values;
        var theirs = other.Values;
        for (var i = 0; i < Math.Min(mine.Count, theirs.Count); i++)
        {
            var order = string.CompareOrdinal(mine[i], theirs[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return mine.Count.CompareTo(theirs.Count);
    }

    public override bool Equals(object? obj) => obj is LabelValues other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(LabelValues left, LabelValues right) => left.Equals(right);

    public static bool operator !=(LabelValues left, LabelValues right) => !left.Equals(right);

    public static bool operator <(LabelValues left, LabelValues right) => left.CompareTo(right) < 0;

    public static bool operator >(LabelValues left, LabelValues right) => left.CompareTo(right) > 0;

    public static bool operator <=(LabelValues left, LabelValues right) => left.CompareTo(right) <= 0;

    public static bool operator >=(LabelValues left, LabelValues right) => left.CompareTo(right) >= 0;
}
