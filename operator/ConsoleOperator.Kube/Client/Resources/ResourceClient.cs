using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Watch;
using k8s;
using k8s.Autorest;
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
        return await ReadAsync(Api.GetClusterCustomObjectWithHttpMessagesAsync<JsonElement>(Descriptor.Group, Descriptor.Version, path, escaped, cancellationToken: cancellationToken));
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
        var body = await BodyAsync(Api.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
            Descriptor.Group, Descriptor.Version, PathIn(Namespace), continueParameter: continueToken, fieldSelector: options.FieldSelector, labelSelector: options.LabelSelector,
            limit: options.Limit, resourceVersion: options.ResourceVersion, cancellationToken: cancellationToken));
        // A list page as a ResourceList<T> (a custom resource needs no generated list type).
        var list = Deserialize(body, EntityJson.TypeInfo<ResourceList<T>>());
        var items = (list.Items ?? []).Select(item => WithTypeMeta(item ?? throw new InvalidDataException($"a null item in a {Descriptor.Kind} list")));
        return new ResourceList<T>(list.Metadata ?? new V1ListMeta(), items.ToList());
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
        return await ReadAsync(Api.CreateClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
            Serialize(value), Descriptor.Group, Descriptor.Version, path, cancellationToken: cancellationToken));
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
        return await ReadAsync(Api.ReplaceClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
            Serialize(value), Descriptor.Group, Descriptor.Version, path, Escape(name), cancellationToken: cancellationToken));
    }

    /// <summary>
    /// DELETE, with uid/resourceVersion preconditions and a propagation policy in a DeleteOptions body. The server
    /// answers a Status when the object went at once (null here), the object itself, with a deletionTimestamp,
    /// when finalizers (custom ones, foregroundDeletion, orphan) hold it (fixtures 03/09, 10/05, 18).
    /// </summary>
    public async Task<T?> DeleteAsync(string name, V1DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (path, escaped) = Address(name);
        // The options go as the DeleteOptions body (preconditions have no query form); no query parameters.
        var body = await BodyAsync(Api.DeleteClusterCustomObjectWithHttpMessagesAsync<JsonElement>(Descriptor.Group, Descriptor.Version, path, escaped, body: options, cancellationToken: cancellationToken));
        var isStatus = body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status")
            && body.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.ValueEquals("v1")
            && Descriptor.Kind != "Status";
        return isStatus ? null : Read(body);
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
    /// Watches changes, with bookmarks, read by the library's own reader plus what it lacks, each pinned by a contract
    /// test (LibraryWatchContractTests):
    /// <list type="bullet">
    /// <item>An in-stream ERROR with a Status reaches only the library's <c>onError</c> callback, and the library reads
    /// on; without it the event is dropped silently. Here it is thrown as a <see cref="KubernetesApiException"/>: for a
    /// 410 (too old a resourceVersion, whether in-stream or as the HTTP answer at the start) one whose IsGone says "relist".</item>
    /// <item>The library never notices a stalled stream: a silence longer than the idle timeout throws
    /// a <see cref="TimeoutException"/>, so a half-dead connection cannot hang a controller.</item>
    /// <item>A broken connection surfaces from the library as the transport's IOException or an HttpRequestException;
    /// here it is always an <see cref="IOException"/> ("resume from the last resourceVersion").</item>
    /// <item>The library's call peeks at the first line before it returns; a watch that the server ends before any event
    /// (timeoutSeconds on a quiet resource, fixture 11/04) makes that peek throw an EndOfStreamException, which
    /// HttpClient wraps in an HttpRequestException. That is a clean end here, like any other end of stream.</item>
    /// </list>
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(
        WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var watch = options ?? new WatchOptions();
        var idleTimeout = watch.EffectiveIdleTimeout;
        using var idle = new CancellationTokenSource(idleTimeout, _client.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        // The library calls onError for an in-stream Status and for a line it cannot parse, then reads on.
        Exception? reported = null;
        // Disposing the library's enumerator disposes its reader, which closes the response stream: stopping early aborts the watch.
        await using var events = Api.WatchListClusterCustomObjectAsync(
            Descriptor.Group, Descriptor.Version, PathIn(Namespace), allowWatchBookmarks: true, fieldSelector: watch.FieldSelector,
            labelSelector: watch.LabelSelector, resourceVersion: watch.ResourceVersion, timeoutSeconds: watch.TimeoutSeconds,
            onError: error => reported ??= error, cancellationToken: linked.Token).GetAsyncEnumerator(linked.Token);
        while (await MoveNextAsync(events, idle, idleTimeout, cancellationToken))
        {
            ThrowIfReported(reported);
            // Any line, a bookmark included, proves the connection alive.
            idle.CancelAfter(idleTimeout);
            yield return ReadEvent(events.Current.Item1, events.Current.Item2);
        }

        ThrowIfReported(reported);
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
        return await ReadAsync(status
            ? Api.PatchClusterCustomObjectStatusWithHttpMessagesAsync<JsonElement>(
                patch, Descriptor.Group, Descriptor.Version, path, name, all, fieldManager, force: force, cancellationToken: cancellationToken)
            : Api.PatchClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
                patch, Descriptor.Group, Descriptor.Version, path, name, all, fieldManager, force: force, cancellationToken: cancellationToken));
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

    /// <summary>Awaits a library call; a body that is not JSON (the library's deserializer fails) is a protocol error.</summary>
    private static async Task<JsonElement> BodyAsync(Task<HttpOperationResponse<JsonElement>> call)
    {
        HttpOperationResponse<JsonElement> result;
        try
        {
            result = await call;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"expected a JSON response: {e.Message}", e);
        }

        using (result)
        {
            var mediaType = result.Response.Content.Headers.ContentType?.MediaType;
            if (!KubernetesApiException.IsJson(mediaType))
            {
                throw new InvalidDataException($"expected a JSON response, got {(mediaType is null ? "no content type" : mediaType)}");
            }

            return result.Body;
        }
    }

    private async Task<T> ReadAsync(Task<HttpOperationResponse<JsonElement>> call) => Read(await BodyAsync(call));

    /// <summary>An answer read with the caller's type info (our MicroTime writer, our entities), with its type meta.</summary>
    private T Read(JsonElement body) => WithTypeMeta(Deserialize(body, _typeInfo));

    private static TValue Deserialize<TValue>(JsonElement body, JsonTypeInfo<TValue> typeInfo)
        where TValue : class
    {
        try
        {
            return body.Deserialize(typeInfo) ?? throw new InvalidDataException($"the response held JSON null instead of a {typeof(TValue).Name}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the {typeof(TValue).Name} in the response is not valid: {e.Message}", e);
        }
    }

    /// <summary>The apiVersion and kind the server leaves out of list items (fixture 14/08) and watch events.</summary>
    private T WithTypeMeta(T value)
    {
        value.ApiVersion ??= Descriptor.ApiVersion;
        value.Kind ??= Descriptor.Kind;
        return value;
    }

    private WatchEvent<T> ReadEvent(WatchEventType type, object? body)
    {
        // The library reads an event's object as object, which System.Text.Json makes a JsonElement (a contract test pins it).
        if (body is not JsonElement element)
        {
            throw new InvalidDataException($"the library handed a {type} watch event as {body?.GetType().Name ?? "null"}, not JSON");
        }

        if (type == WatchEventType.Error)
        {
            // The library hands ERROR events with a kind "Status" to onError; one without that kind arrives here.
            throw ErrorFor(Deserialize(element, EntityJson.TypeInfo<V1Status>()));
        }

        var value = Read(element);
        return new WatchEvent<T>(type, value, value.Metadata?.ResourceVersion);
    }

    private static KubernetesApiException ErrorFor(V1Status status)
    {
        status.Status ??= "Failure";
        // Callers decide on code/reason only (IsGone: relist): the message differs with the layer that served the watch (fixture 12).
        return new KubernetesApiException(status);
    }

    /// <summary>One step of the library's enumerator, with each way it can fail named as <see cref="WatchAsync"/> promises.</summary>
    private static async Task<bool> MoveNextAsync(
        IAsyncEnumerator<(WatchEventType, object)> events, CancellationTokenSource idle, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no watch event or bookmark for {idleTimeout.TotalSeconds:0.###} s: the connection is considered dead");
        }
        catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
        {
            // The library's peek at the first line found the end: the server ended the watch before any event.
            return false;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"a watch line is not JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // An aborted HTTP/1.1 response surfaces as HttpRequestException, an HTTP/2 reset as HttpIOException.
            throw new IOException($"the watch connection broke: {e.Message}", e);
        }
    }

    private static void ThrowIfReported(Exception? reported)
    {
        switch (reported)
        {
            case null:
                return;
            case KubernetesException { Status: { } status }:
                throw ErrorFor(status);
            case JsonException json:
                throw new InvalidDataException($"a watch line is not valid: {json.Message}", json);
            case var other:
                throw new InvalidDataException($"the watch stream could not be read: {other.Message}", other);
        }
    }
}
