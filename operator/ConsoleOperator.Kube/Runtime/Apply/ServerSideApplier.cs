using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Apply;

/// <summary>
/// Writes what a controller owns with server-side apply: one field manager, <c>force=true</c> (this controller is the
/// authority on its fields), never a PUT, and only when needed, so a converged reconcile writes nothing and does not
/// wake every watcher with a new resourceVersion.
/// <list type="bullet">
/// <item>An object (<see cref="ApplyAsync"/>) gets the controller owner reference and carries a hash of itself in an
/// annotation; when the current object (from the informer cache) already holds every desired field with that hash,
/// nothing is sent. The hash notices a field the controller stopped setting (only an apply removes it); the field
/// comparison notices someone else changing a field we own.</item>
/// <item>A status (<see cref="ApplyStatusAsync"/>) goes to the <c>/status</c> subresource when it differs field by
/// field (a field others set does not count, a condition's lastTransitionTime does not count while its status holds).</item>
/// </list>
/// Both remember, per object, the last content written and the resourceVersion it overwrote. A reconcile triggered by
/// the echo of one write can run before the echo of another reaches its informer: the cache then still shows exactly
/// the version we already overwrote. Seeing that version again with the same desired content means "our write is on
/// its way", not "someone changed it", so the write is not repeated. Any other version (ours arrived, or someone else
/// wrote after us) is compared as usual.
/// </summary>
public sealed class ServerSideApplier<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    // Only an optimisation: past this many objects the memory is simply dropped and one redundant write may follow.
    private const int MaxRememberedWrites = 10_000;

    private readonly ResourceClient<T> _client;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly ConcurrentDictionary<(ObjectKey Key, bool Status), (string Fingerprint, string Overwritten)> _recentWrites = new();

    /// <param name="hashAnnotation">The annotation that carries an applied object's hash, e.g. <c>example.dev/applied-hash</c>; needed by <see cref="ApplyAsync"/> only.</param>
    public ServerSideApplier(ResourceClient<T> client, JsonTypeInfo<T> typeInfo, string fieldManager, string? hashAnnotation = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldManager);
        if (fieldManager.Length > 128)
        {
            throw new ArgumentException("A field manager name has at most 128 characters.", nameof(fieldManager));
        }

        if (hashAnnotation is not null && !hashAnnotation.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{hashAnnotation}' needs a domain prefix (e.g. example.dev/applied-hash) so it cannot clash with others'.", nameof(hashAnnotation));
        }

        _client = client;
        _typeInfo = typeInfo;
        FieldManager = fieldManager;
        HashAnnotation = hashAnnotation;
    }

    public string FieldManager { get; }

    public string? HashAnnotation { get; }

    /// <summary>
    /// Applies <paramref name="desired"/> (only the fields this controller owns) unless <paramref name="current"/>
    /// already matches it. <paramref name="owner"/>, when given, becomes the controller owner. The desired object is
    /// completed in place (apiVersion/kind, owner reference, hash annotation). Written says whether a request was sent.
    /// </summary>
    public async Task<(T Object, bool Written)> ApplyAsync(T desired, T? current, IKubernetesObject<V1ObjectMeta>? owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var hashAnnotation = Prepare(desired, owner);
        var key = new ObjectKey(_client.Descriptor.Namespaced ? desired.Metadata.NamespaceProperty ?? _client.Namespace ?? string.Empty : string.Empty, desired.Metadata.Name!);
        var fingerprint = desired.Metadata.Annotations![hashAnnotation];
        if (current is not null && (JsonSubset.IsSubsetOf(Json(desired), Json(current)) || IsInFlight((key, false), fingerprint, current)))
        {
            return (current, false);
        }

        var applied = await Scoped(key.Namespace).ApplyAsync(desired, FieldManager, force: true, cancellationToken: cancellationToken);
        Remember((key, false), fingerprint, current);
        return (applied, true);
    }

    /// <summary>Applies <paramref name="desiredStatus"/> (the status fields this controller owns) to /status, if it differs.</summary>
    public async Task<(T Object, bool Written)> ApplyStatusAsync(T current, JsonNode desiredStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desiredStatus);
        var key = ObjectKey.Of(current);
        var fingerprint = desiredStatus.ToJsonString();
        var currentStatus = (Json(current) as JsonObject)?["status"];
        if (JsonSubset.IsSubsetOf(desiredStatus, currentStatus) || IsInFlight((key, true), fingerprint, current))
        {
            return (current, false);
        }

        // Only name, namespace and the status: the client adds apiVersion and kind, a null namespace is left out.
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = key.Name, ["namespace"] = string.IsNullOrEmpty(current.Metadata.NamespaceProperty) ? null : current.Metadata.NamespaceProperty },
            ["status"] = desiredStatus.DeepClone(),
        };
        var patch = body.Deserialize(_typeInfo) ?? throw new InvalidOperationException("The status body did not deserialize.");
        var applied = await Scoped(current.Metadata.NamespaceProperty).ApplyStatusAsync(patch, FieldManager, force: true, cancellationToken: cancellationToken);
        Remember((key, true), fingerprint, current);
        return (applied, true);
    }

    /// <summary>Completes the desired object: apiVersion/kind, the controller owner reference and the hash annotation (whose name it returns).</summary>
    public string Prepare(T desired, IKubernetesObject<V1ObjectMeta>? owner)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentException.ThrowIfNullOrEmpty(desired.Metadata.Name, "desired.Metadata.Name");
        var hashAnnotation = HashAnnotation ?? throw new InvalidOperationException("This applier writes status only: give it a hash annotation to apply objects.");
        desired.ApiVersion ??= _client.Descriptor.ApiVersion;
        desired.Kind ??= _client.Descriptor.Kind;
        if (owner is not null)
        {
            OwnerReferences.SetController(desired, owner);
        }

        // The hash covers the object as desired without any earlier hash, so preparing twice gives the same result.
        var annotations = new Dictionary<string, string>(desired.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        annotations.Remove(hashAnnotation);
        desired.Metadata.Annotations = annotations.Count == 0 ? null : annotations;
        var hash = Hash(desired);
        desired.Metadata.Annotations = new Dictionary<string, string>(annotations, StringComparer.Ordinal) { [hashAnnotation] = hash };
        return hashAnnotation;
    }

    private JsonNode? Json(T value) => JsonSerializer.SerializeToNode(value, _typeInfo);

    private ResourceClient<T> Scoped(string? @namespace) =>
        _client.Descriptor.Namespaced && _client.Namespace is null ? _client.InNamespace(@namespace) : _client;

    /// <summary>Whether the current object is still the version our identical last write replaced.</summary>
    private bool IsInFlight((ObjectKey, bool) key, string fingerprint, T current) =>
        !string.IsNullOrEmpty(current.Metadata.ResourceVersion)
        && _recentWrites.TryGetValue(key, out var last)
        && last == (fingerprint, current.Metadata.ResourceVersion);

    private void Remember((ObjectKey, bool) key, string fingerprint, T? overwritten)
    {
        if (string.IsNullOrEmpty(overwritten?.Metadata.ResourceVersion))
        {
            // Nothing was overwritten (a create): nothing can be skipped while the object is absent from the cache.
            _recentWrites.TryRemove(key, out _);
            return;
        }

        if (_recentWrites.Count >= MaxRememberedWrites)
        {
            _recentWrites.Clear();
        }

        _recentWrites[key] = (fingerprint, overwritten.Metadata.ResourceVersion);
    }

    private string Hash(T desired)
    {
        var node = Json(desired) as JsonObject
            ?? throw new ArgumentException("An applied object must serialize to a JSON object.", nameof(desired));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sorted(node)!.ToJsonString())))[..32];
    }

    // Sorted keys: the same desired object must give the same hash whatever order its dictionaries enumerate in.
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => KeyValuePair.Create(pair.Key, Sorted(pair.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
