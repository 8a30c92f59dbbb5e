namespace ConsoleOperator.Kube.Client.Patches;

/// <summary>RFC 6901 helpers: label and annotation keys contain '/', which must be written as ~1.</summary>
public static class JsonPointer
{
    public static string Escape(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>Joins raw segments into a pointer, escaping each: ("metadata", "labels", "app.kubernetes.io/name").</summary>
    public static string Of(params string[] segments) =>
        string.Concat(segments.Select(segment => "/" + Escape(segment)));
}
