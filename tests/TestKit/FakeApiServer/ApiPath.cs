namespace TestKit.FakeApiServer;

/// <summary>
/// A resource URL taken apart: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c> or the same under
/// <c>/apis/{group}/{version}</c>. Null from <see cref="Parse"/> means "not an API resource path" (404 as text).
/// </summary>
public sealed record ApiPath(ResourceDescriptor Resource, string? Namespace, string? Name, string? Subresource)
{
    public static ApiPath? Parse(string path, ResourceRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(registry);
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToList();
        string group;
        string version;
        List<string> rest;
        if (segments.Count >= 2 && segments[0] == "api")
        {
            (group, version, rest) = (string.Empty, segments[1], segments[2..]);
        }
        else if (segments.Count >= 3 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            return null;
        }

        if (rest.Count == 0 || rest.Any(s => s.Length == 0))
        {
            return null;
        }

        string? ns = null;
        if (rest.Count >= 3 && rest[0] == "namespaces" && registry.Find(group, version, rest[2]) is { Namespaced: true })
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var resource = registry.Find(group, version, rest[0]);
        // A namespaced object is only addressable under its namespace; cluster-wide there is only the list.
        if (resource is null || rest.Count > 3 || (ns is null && resource.Namespaced && rest.Count > 1))
        {
            return null;
        }

        return new ApiPath(resource, ns, rest.Count > 1 ? rest[1] : null, rest.Count > 2 ? rest[2] : null);
    }
}
