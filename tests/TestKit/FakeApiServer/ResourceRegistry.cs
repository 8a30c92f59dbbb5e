using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// The resource types the fake serves, by group/version/plural. Thread-safe: a CRD created through the API
/// registers its resource while other requests are served.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceDescriptor> _byPath = new();

    public ResourceRegistry(IEnumerable<ResourceDescriptor> initial)
    {
        foreach (var descriptor in initial)
        {
            Register(descriptor);
        }
    }

    public void Register(ResourceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        _byPath[(descriptor.Group, descriptor.Version, descriptor.Plural)] = descriptor;
    }

    public ResourceDescriptor? Find(string group, string version, string plural) =>
        _byPath.TryGetValue((group, version, plural), out var descriptor) ? descriptor : null;

    public IReadOnlyCollection<ResourceDescriptor> All => _byPath.Values.ToList();

    /// <summary>Registers every served version of a CustomResourceDefinition object (apiextensions.k8s.io/v1 JSON).</summary>
    public IReadOnlyList<ResourceDescriptor> RegisterCustomResourceDefinition(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var spec = crd["spec"] as JsonObject ?? throw StatusErrors.BadRequest("CustomResourceDefinition without spec");
        var group = (string?)spec["group"] ?? throw StatusErrors.BadRequest("CustomResourceDefinition without spec.group");
        var names = spec["names"] as JsonObject ?? throw StatusErrors.BadRequest("CustomResourceDefinition without spec.names");
        var plural = (string?)names["plural"] ?? throw StatusErrors.BadRequest("CustomResourceDefinition without spec.names.plural");
        var kind = (string?)names["kind"] ?? throw StatusErrors.BadRequest("CustomResourceDefinition without spec.names.kind");
        var namespaced = (string?)spec["scope"] != "Cluster";
        var registered = new List<ResourceDescriptor>();
        foreach (var versionNode in spec["versions"] as JsonArray ?? [])
        {
            if (versionNode is not JsonObject version || (bool?)version["served"] == false)
            {
                continue;
            }

            var descriptor = new ResourceDescriptor(group, (string)version["name"]!, plural, kind, namespaced, version["subresources"]?["status"] is not null)
            {
                IsCustomResource = true,
                Schema = version["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject,
            };
            Register(descriptor);
            registered.Add(descriptor);
        }

        return registered;
    }
}
