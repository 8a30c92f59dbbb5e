using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// What the fake server needs to know about one resource type (one group/version/plural), the same facts a
/// CRD or the built-in registry gives kube-apiserver.
/// </summary>
public sealed record ResourceDescriptor
{
    public ResourceDescriptor(string group, string version, string plural, string kind, bool namespaced, bool hasStatusSubresource)
    {
        Group = group;
        Version = version;
        Plural = plural;
        Kind = kind;
        Namespaced = namespaced;
        HasStatusSubresource = hasStatusSubresource;
    }

    /// <summary>API group; empty for the core group.</summary>
    public string Group { get; init; }

    public string Version { get; init; }

    public string Plural { get; init; }

    public string Kind { get; init; }

    public bool Namespaced { get; init; }

    public bool HasStatusSubresource { get; init; }

    /// <summary>
    /// True for custom resources: JSON keys come back sorted, DELETE answers a Status, PUT needs a resourceVersion,
    /// strategic merge patch is refused and POST to an object path is a create.
    /// </summary>
    public bool IsCustomResource { get; init; }

    /// <summary>Whether <c>metadata.generation</c> is kept (built-ins like ConfigMap have none).</summary>
    public bool TracksGeneration { get; init; } = true;

    /// <summary>Deployments also bump generation when annotations change.</summary>
    public bool GenerationIncludesAnnotations { get; init; }

    /// <summary>The OpenAPI v3 schema of a custom resource version, used for the validations the fake performs.</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>Field names that must hold a MicroTime (<c>.ffffff</c> exactly), as top-level-relative paths.</summary>
    public IReadOnlyList<string> MicroTimeFields { get; init; } = [];

    /// <summary>metav1.Time fields (any fraction/offset accepted, stored as UTC whole seconds).</summary>
    public IReadOnlyList<string> TimeFields { get; init; } = [];

    /// <summary>
    /// events.k8s.io/v1 Events are validated as the internal core Event: errors say <c>Event "x"</c> with no group.
    /// </summary>
    public bool ValidatesAsCoreType { get; init; }

    /// <summary>The group shown in 422 messages and details.</summary>
    public string ValidationGroup => ValidatesAsCoreType ? string.Empty : Group;

    /// <summary>The qualified kind shown in 422 messages (<c>Widget.example.dev</c>, <c>Event</c>).</summary>
    public string ValidationGroupKind => ValidatesAsCoreType || Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The object a BOOKMARK event carries besides kind/apiVersion/metadata (typed built-ins serialize empty structs).</summary>
    public JsonObject? BookmarkBody { get; init; }

    /// <summary>Fields a <c>fieldSelector</c> may use besides metadata.name and metadata.namespace.</summary>
    public IReadOnlyList<string> ExtraFieldSelectors { get; init; } = [];

    /// <summary>Every field a <c>fieldSelector</c> may use on this resource.</summary>
    public IReadOnlyCollection<string> FieldSelectorFields => ["metadata.name", "metadata.namespace", .. ExtraFieldSelectors];

    /// <summary>The list kind, e.g. <c>WidgetList</c>.</summary>
    public string ListKind => Kind + "List";

    /// <summary><c>apps/v1</c>, or <c>v1</c> for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary><c>widgets.example.dev</c>, or <c>configmaps</c> for the core group (used in most messages).</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary><c>Widget.example.dev</c>, or <c>ConfigMap</c> for the core group.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The key identifying the resource in the store, independent of version.</summary>
    public string StorageKey => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
