using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Watch;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>
/// The verbs on one resource, bound to a namespace (or none: cluster-scoped resources, or lists and watches across
/// all namespaces). Cheap to create; all state lives in the shared <see cref="KubernetesClient"/>.
/// Every verb is one of the library's generic operations (<see cref="ICustomObjectsOperations"/>, which serve the core
/// group too: the library turns <c>apis//v1</c> into <c>api/v1</c>), so its transport handler chain applies. We pass
/// the library JSON we built with the caller's type info and ask for the answer as a <see cref="JsonElement"/>: our
/// MicroTime writer and our entities stay ours. Patches go as a <see cref="V1Patch"/>, whose type gives the content
/// type (JSON Patch with a <c>test</c>, merge patch, apply); a string content is written raw, so a JSON Patch
/// <c>test</c> of null keeps its value. Names go escaped: the library puts path parameters in the URL as they are.
/// That is also why one cluster-level operation serves both scopes: given the plural <c>namespaces/{ns}/{plural}</c>
/// it builds <c>/apis/{group}/{version}/namespaces/{ns}/{plural}</c>, the namespaced URL (see <see cref="PathIn"/>).
/// </summary>
public class ResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly KubernetesClient _client;
    private readonly JsonTypeInfo<T> _typeInfo;

    public ResourceClient(KubernetesClient client, ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (!descriptor.Namespaced && @namespace is not null)
        {
            throw new ArgumentException($"{descriptor} is cluster-scoped: no namespace may be given", nameof(@namespace));
        }

        _client = client;
        Descriptor = descriptor;
        _typeInfo = typeInfo;
        Namespace = @namespace;
    }

    public ResourceDescriptor Descriptor { get; }

    public string? Namespace { get; }

    public ResourceClient<T> InNamespace(string? @namespace) => new(_client, Descriptor, _typeInfo, @namespace);

    public async Task<T> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var (path, escaped) = Address(name);
        var body = await LibraryResponses.BodyAsync(Api.GetClusterCustomObjectWithHttpMessagesAsync<JsonElement>(Descriptor.Group, Descriptor.Version, path, escaped, cancellationToken: cancellationToken));
        return LibraryResponses.ReadObject(body, _typeInfo, Descriptor);
    }

    /// <summary>The object, or null when it does not exist (404 NotFound).</summary>
    public async Task<T?> GetOrDefaultAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(name, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>One page. An expired <see cref="ListOptions.Continue"/> throws a 410 (IsGone): restart the list without it.</summary>
    public async Task<ResourceList<T>> ListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions();
        var continueToken = string.IsNullOrEmpty(options.Continue) ? null : options.Continue;
        // Without a namespace the cluster-wide path is also the all-namespaces list of a namespaced resource.
        var body = await LibraryResponses.BodyAsync(Api.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
            Descriptor.Group, Descriptor.Version, PathIn(Namespace), continueParameter: continueToken, fieldSelector: options.FieldSelector, labelSelector: options.LabelSelector,
            limit: options.Limit, resourceVersion: options.ResourceVersion, cancellationToken: cancellationToken));
        return LibraryResponses.ReadList<T>(body, Descriptor);
    }

    /// <summary>
    /// Every page, following <c>continue</c>. The result carries the first page's resourceVersion: all pages come from
    /// that one snapshot, so a watch can start there. A 410 mid-way (the token expired) is thrown, not papered over:
    /// the new token the server offers would splice in a newer snapshot (fixture 04/05).
    /// </summary>
    public async Task<ResourceList<T>> ListAllAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions();
        var items = new List<T>();
        var page = await ListAsync(options, cancellationToken);
        var metadata = page.Metadata;
        items.AddRange(page.Items);
        var pages = 1;
        while (!string.IsNullOrEmpty(page.Metadata.ContinueProperty))
        {
            if (++pages > 100_000)
            {
                throw new InvalidDataException("the server kept returning continue tokens past 100000 pages");
            }

            page = await ListAsync(options with { Continue = page.Metadata.ContinueProperty }, cancellationToken);
            items.AddRange(page.Items);
        }

        return new ResourceList<T>(metadata with { ContinueProperty = null, RemainingItemCount = null }, items);
    }

    public async Task<T> CreateAsync(T value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = PathIn(NamespaceFor(value));
        var body = await LibraryResponses.BodyAsync(Api.CreateClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
            Serialize(value), Descriptor.Group, Descriptor.Version, path, cancellationToken: cancellationToken));
        return LibraryResponses.ReadObject(body, _typeInfo, Descriptor);
    }

    /// <summary>
    /// PUT: a full replacement, conditional on metadata.resourceVersion when set (a stale one is 409 Conflict). Use it
    /// only for objects modelled completely (e.g. a Lease); fields the model lacks survive through ExtensionData.
    /// </summary>
    public async Task<T> ReplaceAsync(T value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Metadata.Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name, "value.Metadata.Name");
        var path = PathIn(NamespaceFor(value));
        var body = await LibraryResponses.BodyAsync(Api.ReplaceClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
            Serialize(value), Descriptor.Group, Descriptor.Version, path, Escape(name), cancellationToken: cancellationToken));
        return LibraryResponses.ReadObject(body, _typeInfo, Descriptor);
    }

    /// <summary>
    /// DELETE, with uid/resourceVersion preconditions and a propagation policy in a DeleteOptions body. The result is
    /// null when the object is gone, or the object when finalizers hold it.
    /// </summary>
    public async Task<T?> DeleteAsync(string name, V1DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (path, escaped) = Address(name);
        // The options go as the DeleteOptions body (preconditions have no query form); no query parameters.
        var body = await LibraryResponses.BodyAsync(Api.DeleteClusterCustomObjectWithHttpMessagesAsync<JsonElement>(Descriptor.Group, Descriptor.Version, path, escaped, body: options, cancellationToken: cancellationToken));
        return LibraryResponses.ReadDeleteResult(body, _typeInfo, Descriptor);
    }

    /// <summary>
    /// RFC 6902 JSON Patch, sent as written: an operation's <c>"value": null</c> stays (a <c>test</c> of null), which a
    /// serializer that omits nulls would drop. Put a <c>test</c> on /metadata/resourceVersion first to make it conditional.
    /// </summary>
    public async Task<T> JsonPatchAsync(string name, JsonArray operations, bool status = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            throw new ArgumentException("a JSON Patch needs at least one operation", nameof(operations));
        }

        var patch = new V1Patch(operations.ToJsonString(), V1Patch.PatchType.JsonPatch);
        return await PatchAsync(Address(name), patch, status, fieldManager: null, dryRun: false, force: null, cancellationToken);
    }

    /// <summary>RFC 7386 merge patch: null deletes a field; a metadata.resourceVersion in the patch is checked (409 when stale).</summary>
    public async Task<T> MergePatchAsync(string name, JsonNode patch, bool status = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        return await PatchAsync(Address(name), body, status, fieldManager: null, dryRun: false, force: null, cancellationToken);
    }

    /// <summary>
    /// Server-side apply of the fields set in <paramref name="value"/> (everything else is left to other managers;
    /// owned fields no longer sent are removed, fixture 22/04). Re-applying the same object is a no-op that keeps the
    /// resourceVersion. Without force a field owned by another manager is a 409 with FieldManagerConflict causes.
    /// </summary>
    public Task<T> ApplyAsync(T value, string fieldManager, bool force = true, bool dryRun = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(value, status: false, fieldManager, force, dryRun, cancellationToken);

    /// <summary>Server-side apply to the /status subresource: status writes never bump generation.</summary>
    public Task<T> ApplyStatusAsync(T value, string fieldManager, bool force = true, bool dryRun = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(value, status: true, fieldManager, force, dryRun, cancellationToken);

    /// <summary>
    /// Watches changes, with bookmarks. Ends normally when the server closes at timeoutSeconds; throws
    /// a <see cref="KubernetesApiException"/> that IsGone when the resourceVersion is too old (relist), <see cref="TimeoutException"/>
    /// when nothing arrives for the idle timeout and <see cref="IOException"/> when the connection breaks.
    /// </summary>
    public IAsyncEnumerable<WatchEvent<T>> WatchAsync(WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        var watch = options ?? new WatchOptions();
        var path = PathIn(Namespace);
        return LibraryResponses.ReadWatchAsync(
            (onError, token) => Api.WatchListClusterCustomObjectAsync(
                Descriptor.Group, Descriptor.Version, path, allowWatchBookmarks: true, fieldSelector: watch.FieldSelector,
                labelSelector: watch.LabelSelector, resourceVersion: watch.ResourceVersion, timeoutSeconds: watch.TimeoutSeconds, onError: onError, cancellationToken: token),
            _typeInfo,
            Descriptor,
            watch.EffectiveIdleTimeout,
            _client.TimeProvider,
            cancellationToken);
    }

    private async Task<T> ApplyCoreAsync(T value, bool status, string fieldManager, bool force, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Without a field manager the server answers 422 (fixture 08/07): refuse before sending.
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldManager);
        var name = value.Metadata.Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name, "value.Metadata.Name");
        // apiVersion and kind are required in an apply body (fixture 22/07); managedFields is refused by the server.
        var node = Serialize(value);
        if (node["metadata"] is JsonObject metadata)
        {
            metadata.Remove("managedFields");
        }

        var ns = NamespaceFor(value);
        // JSON is YAML: the apply body is the JSON written above, sent as application/apply-patch+yaml.
        var patch = new V1Patch(node.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        return await PatchAsync((PathIn(ns), Escape(name)), patch, status, fieldManager, dryRun, force ? true : null, cancellationToken);
    }

    /// <param name="address">From <see cref="Address"/>, or <see cref="PathIn"/> and the escaped name.</param>
    /// <param name="dryRun">Validate and default, persist nothing: the response has no new resourceVersion (fixture 22/06).</param>
    private async Task<T> PatchAsync(
        (string Path, string Name) address, V1Patch patch, bool status, string? fieldManager, bool dryRun, bool? force, CancellationToken cancellationToken)
    {
        var (path, name) = address;
        var all = dryRun ? "All" : null;
        // The library's operations reach the object and its status subresource only.
        var body = await LibraryResponses.BodyAsync(status
            ? Api.PatchClusterCustomObjectStatusWithHttpMessagesAsync<JsonElement>(
                patch, Descriptor.Group, Descriptor.Version, path, name, all, fieldManager, force: force, cancellationToken: cancellationToken)
            : Api.PatchClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
                patch, Descriptor.Group, Descriptor.Version, path, name, all, fieldManager, force: force, cancellationToken: cancellationToken));
        return LibraryResponses.ReadObject(body, _typeInfo, Descriptor);
    }

    private ICustomObjectsOperations Api => _client.Api.CustomObjects;

    private static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>The path (see <see cref="PathIn"/>) and escaped name of one object.</summary>
    private (string Path, string Name) Address(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Descriptor.Namespaced && Namespace is null
            ? throw new InvalidOperationException($"{Descriptor} is namespaced: use InNamespace(...) before addressing one object")
            : (PathIn(Namespace), Escape(name));
    }

    /// <summary>
    /// What the library's cluster-level operations get as the plural: the plural itself for a cluster-scoped object or
    /// a list across all namespaces, <c>namespaces/{ns}/{plural}</c> within a namespace. The library puts it in the URL
    /// as it is, so the request is exactly the namespaced one (the recorded exchanges replay unchanged).
    /// </summary>
    private string PathIn(string? ns) => ns is null ? Descriptor.Plural : $"namespaces/{Escape(ns)}/{Descriptor.Plural}";

    private JsonObject Serialize(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // The library's models leave apiVersion and kind null unless set; the server wants them in a body.
        var node = JsonSerializer.SerializeToNode(value, _typeInfo) as JsonObject
            ?? throw new ArgumentException("an object must serialize to a JSON object", nameof(value));
        node["apiVersion"] ??= Descriptor.ApiVersion;
        node["kind"] ??= Descriptor.Kind;
        return node;
    }

    private string? NamespaceFor(T value)
    {
        if (!Descriptor.Namespaced)
        {
            return null;
        }

        var objectNamespace = value.Metadata.NamespaceProperty;
        if (Namespace is not null && objectNamespace is not null && objectNamespace != Namespace)
        {
            // The server would answer 400 (fixture 03/07); say which two namespaces disagree instead.
            throw new ArgumentException($"the object's namespace '{objectNamespace}' differs from the client's '{Namespace}'", nameof(value));
        }

        return Namespace ?? objectNamespace
            ?? throw new ArgumentException($"{Descriptor} is namespaced: set metadata.namespace or use InNamespace(...)", nameof(value));
    }
}
