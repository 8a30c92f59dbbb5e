namespace TestKit.Fixtures;

/// <summary>Lookups over an ordered, recorded header list (names compare case-insensitively, as HTTP does).</summary>
public static class RecordedHeaders
{
    /// <summary>The first value of the header, or null when it was not sent.</summary>
    public static string? Find(this IReadOnlyList<RecordedHeader> headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var header in headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Every value of the header in recorded order (e.g. one entry per <c>Warning</c> line).</summary>
    public static IReadOnlyList<string> FindAll(this IReadOnlyList<RecordedHeader> headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers
            .Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(h => h.Value)
            .ToList();
    }
}
