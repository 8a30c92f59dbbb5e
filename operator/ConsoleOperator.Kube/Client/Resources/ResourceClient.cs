using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Http;
using ConsoleOperator.Kube.Client.Patches;
using ConsoleOperator.Kube.Client.Watch;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>
/// The verbs on one resource, bound to a namespace (or none: cluster-scoped resources, or lists and watches across
/// all namespaces). Cheap to create; all state lives in the shared <see cref="KubernetesClient"/>.
/// </summary>
public sealed class ResourceClient<T>
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
        using var response = await SendAsync(HttpMethod.Get, ObjectPath(name, null), null, null, cancellationToken);
        return await ResponseReader.ReadObjectAsync(response, _typeInfo, Descriptor, cancellationToken);
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
        var query = new QueryString()
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit)
            .Add("continue", string.IsNullOrEmpty(options.Continue) ? null : options.Continue)
            .Add("resourceVersion", options.ResourceVersion)
            .Add("resourceVersionMatch", options.ResourceVersionMatch);
        using var response = await SendAsync(HttpMethod.Get, Descriptor.Path(Namespace) + query, null, null, cancellationToken);
        return await ResponseReader.ReadListAsync(response, _typeInfo, Descriptor, cancellationToken);
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
                throw new KubernetesProtocolException("the server kept returning continue tokens past 100000 pages");
            }

            page = await ListAsync(options with { Continue = page.Metadata.ContinueProperty }, cancellationToken);
            items.AddRange(page.Items);
        }

        return new ResourceList<T>(metadata with { ContinueProperty = null, RemainingItemCount = null }, items);
    }

    public async Task<T> CreateAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = Descriptor.Path(NamespaceFor(value)) + WriteQuery(options, force: false);
        using var response = await SendAsync(HttpMethod.Post, path, Serialize(value), MediaTypes.Json, cancellationToken);
        return await ResponseReader.ReadObjectAsync(response, _typeInfo, Descriptor, cancellationToken);
    }

    /// <summary>
    /// PUT: a full replacement, conditional on metadata.resourceVersion when set (a stale one is 409 Conflict). Use it
    /// only for objects modelled completely (e.g. a Lease); fields the model lacks survive through ExtensionData.
    /// </summary>
    public Task<T> ReplaceAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutAsync(value, null, options, cancellationToken);

    /// <summary>PUT to /status: only the status part is applied, the spec part is silently ignored (fixture 07/07).</summary>
    public Task<T> ReplaceStatusAsync(T value, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        PutAsync(value, "status", options, cancellationToken);

    /// <summary>
    /// DELETE, with uid/resourceVersion preconditions and a propagation policy in a DeleteOptions body. The result is
    /// a Status when the object is gone, or the object when finalizers hold it.
    /// </summary>
    public async Task<DeleteResult<T>> DeleteAsync(string name, V1DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = options is null ? null : JsonSerializer.SerializeToUtf8Bytes(options, EntityJson.TypeInfo<V1DeleteOptions>());
        using var response = await SendAsync(HttpMethod.Delete, ObjectPath(name, null), body, body is null ? null : MediaTypes.Json, cancellationToken);
        return await ResponseReader.ReadDeleteResultAsync(response, _typeInfo, Descriptor, cancellationToken);
    }

    /// <summary>RFC 6902 JSON Patch; put a <c>test</c> on /metadata/resourceVersion first to make it conditional.</summary>
    public async Task<T> JsonPatchAsync(string name, IReadOnlyList<JsonPatchOperation> operations, WriteOptions? options = null, string? subresource = null, CancellationToken cancellationToken = default)
    {
        var body = JsonPatchWriter.ToUtf8(operations);
        using var response = await SendAsync(HttpMethod.Patch, ObjectPath(name, subresource) + WriteQuery(options, force: false), body, MediaTypes.JsonPatch, cancellationToken);
        return await ResponseReader.ReadObjectAsync(response, _typeInfo, Descriptor, cancellationToken);
    }

    /// <summary>RFC 7386 merge patch: null deletes a field; a metadata.resourceVersion in the patch is checked (409 when stale).</summary>
    public async Task<T> MergePatchAsync(string name, JsonNode patch, WriteOptions? options = null, string? subresource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = JsonSerializer.SerializeToUtf8Bytes(patch, EntityJson.TypeInfo<JsonNode>());
        using var response = await SendAsync(HttpMethod.Patch, ObjectPath(name, subresource) + WriteQuery(options, force: false), body, MediaTypes.MergePatch, cancellationToken);
        return await ResponseReader.ReadObjectAsync(response, _typeInfo, Descriptor, cancellationToken);
    }

    /// <summary>
    /// Server-side apply of the fields set in <paramref name="value"/> (everything else is left to other managers;
    /// owned fields no longer sent are removed, fixture 22/04). Re-applying the same object is a no-op that keeps the
    /// resourceVersion. Without force a field owned by another manager is a 409 with FieldManagerConflict causes.
    /// </summary>
    public Task<T> ApplyAsync(T value, string fieldManager, bool force = true, bool dryRun = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(value, null, fieldManager, force, dryRun, cancellationToken);

    /// <summary>Server-side apply to the /status subresource: status writes never bump generation.</summary>
    public Task<T> ApplyStatusAsync(T value, string fieldManager, bool force = true, bool dryRun = false, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(value, "status", fieldManager, force, dryRun, cancellationToken);

    /// <summary>
    /// Watches changes, with bookmarks. Ends normally when the server closes at timeoutSeconds; throws
    /// <see cref="ResourceExpiredException"/> when the resourceVersion is too old (relist), <see cref="WatchIdleTimeoutException"/>
    /// when nothing arrives for the idle timeout and <see cref="WatchConnectionLostException"/> when the connection breaks.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new WatchOptions();
        var query = new QueryString()
            .Add("watch", "1")
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks)
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("resourceVersion", options.ResourceVersion)
            .Add("timeoutSeconds", options.TimeoutSeconds);
        var request = new KubernetesRequest(HttpMethod.Get, Descriptor.Path(Namespace) + query) { IsStreaming = true };
        using var response = await _client.SendAsync(request, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var watchEvent in WatchStreamReader.ReadAsync(stream, _typeInfo, Descriptor, options.EffectiveIdleTimeout, _client.TimeProvider, cancellationToken))
        {
            yield return watchEvent;
        }
    }

    private async Task<T> ApplyCoreAsync(T value, string? subresource, string fieldManager, bool force, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Without a field manager the server answers 422 (fixture 08/07): refuse before sending.
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldManager);
        var name = value.Metadata.Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name, "value.Metadata.Name");
        var node = JsonSerializer.SerializeToNode(value, _typeInfo) as JsonObject
            ?? throw new ArgumentException("an applied object must serialize to a JSON object", nameof(value));
        // apiVersion and kind are required in an apply body (fixture 22/07); managedFields is refused by the server.
        node["apiVersion"] ??= Descriptor.ApiVersion;
        node["kind"] ??= Descriptor.Kind;
        if (node["metadata"] is JsonObject metadata)
        {
            metadata.Remove("managedFields");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(node, EntityJson.TypeInfo<JsonNode>());
        var query = WriteQuery(new WriteOptions { FieldManager = fieldManager, DryRun = dryRun }, force);
        var path = Descriptor.Path(NamespaceFor(value), name, subresource) + query;
        using var response = await SendAsync(HttpMethod.Patch, path, body, MediaTypes.ApplyPatch, cancellationToken);
        return await ResponseReader.ReadObjectAsync(response, _typeInfo, Descriptor, cancellationToken);
    }

    private async Task<T> PutAsync(T value, string? subresource, WriteOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Metadata.Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name, "value.Metadata.Name");
        var path = Descriptor.Path(NamespaceFor(value), name, subresource) + WriteQuery(options, force: false);
        using var response = await SendAsync(HttpMethod.Put, path, Serialize(value), MediaTypes.Json, cancellationToken);
        return await ResponseReader.ReadObjectAsync(response, _typeInfo, Descriptor, cancellationToken);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken cancellationToken) =>
        _client.SendAsync(new KubernetesRequest(method, pathAndQuery) { Body = body, ContentType = contentType }, cancellationToken);

    private byte[] Serialize(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // The library's models leave apiVersion and kind null unless set; the server wants them in a body.
        var node = JsonSerializer.SerializeToNode(value, _typeInfo) as JsonObject
            ?? throw new ArgumentException("an object must serialize to a JSON object", nameof(value));
        node["apiVersion"] ??= Descriptor.ApiVersion;
        node["kind"] ??= Descriptor.Kind;
        return JsonSerializer.SerializeToUtf8Bytes(node, EntityJson.TypeInfo<JsonNode>());
    }

    private string ObjectPath(string name, string? subresource)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Descriptor.Path(RequiredNamespace(), name, subresource);
    }

    private string? RequiredNamespace()
    {
        if (Descriptor.Namespaced && Namespace is null)
        {
            throw new InvalidOperationException($"{Descriptor} is namespaced: use InNamespace(...) before addressing one object");
        }

        return Namespace;
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

    private static string WriteQuery(WriteOptions? options, bool force) =>
        new QueryString()
            .Add("fieldManager", options?.FieldManager)
            .Add("fieldValidation", options?.FieldValidation)
            .Add("force", force)
            .Add("dryRun", options?.DryRun == true ? "All" : null)
            .ToString();
}
