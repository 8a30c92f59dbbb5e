using TestKit.FakeApiServer;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>Reads the request log as "VERB resource/name[/subresource]", so a test states exactly what a change touched.</summary>
public static class WrittenObjects
{
    public static IReadOnlyList<string> Of(IEnumerable<LoggedRequest> writes) =>
        [.. writes.Select(write => $"{write.Method} {ObjectPath(write.Path)}").Distinct().Order(StringComparer.Ordinal)];

    private static string ObjectPath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ns = Array.IndexOf(segments, "namespaces");
        return ns < 0 ? path : string.Join('/', segments.Skip(ns + 2));
    }
}
