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
/// authority on its fields), the controller owner reference set, never a PUT. An apply is only sent when needed, so a
/// converged reconcile writes nothing: the desired object carries a hash of itself in an annotation, and when the
/// current object (from the informer cache) already holds every desired field with that hash, nothing is sent. The
/// hash is what notices a field the controller stopped setting (only an apply removes it); the field comparison is
/// what notices someone else changing a field we own. A cache that has not yet caught up with our own last write is
/// recognised as such (see <see cref="RecentWrites"/>) rather than answered with the same write again.
/// </summary>
public sealed class ServerSideApplier<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceClient<T> _client;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly RecentWrites _recentWrites = new();

    /// <param name="hashAnnotation">The annotation that carries the hash, e.g. <c>example.dev/applied-hash</c>.</param>
    public ServerSideApplier(ResourceClient<T> client, JsonTypeInfo<T> typeInfo, string fieldManager, string hashAnnotation)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldManager);
        ArgumentException.ThrowIfNullOrWhiteSpace(hashAnnotation);
        if (fieldManager.Length > 128)
        {
            throw new ArgumentException("A field manager name has at most 128 characters.", nameof(fieldManager));
        }

        if (!hashAnnotation.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{hashAnnotation}' needs a domain prefix (e.g. example.dev/applied-hash) so it cannot clash with others'.", nameof(hashAnnotation));
        }

        _client = client;
        _typeInfo = typeInfo;
        FieldManager = fieldManager;
        HashAnnotation = hashAnnotation;
    }

    public string FieldManager { get; }

    public string HashAnnotation { get; }

    /// <summary>
    /// Applies <paramref name="desired"/> (only the fields this controller owns) unless <paramref name="current"/>
    /// already matches it. <paramref name="owner"/>, when given, becomes the controller owner. The desired object is
    /// completed in place (apiVersion/kind, owner reference, hash annotation).
    /// </summary>
    public async Task<ApplyOutcome<T>> ApplyAsync(T desired, T? current, IKubernetesObject<V1ObjectMeta>? owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(desired);
        Prepare(desired, owner);
        var key = new ObjectKey(_client.Descriptor.Namespaced ? desired.Metadata.NamespaceProperty ?? _client.Namespace ?? string.Empty : string.Empty, desired.Metadata.Name!);
        var fingerprint = desired.Metadata.Annotations![HashAnnotation];
        if (current is not null && (IsSatisfiedBy(desired, current) || _recentWrites.IsInFlight(key, fingerprint, current.Metadata.ResourceVersion)))
        {
            return new ApplyOutcome<T>(current, Written: false);
        }

        var scoped = _client.Descriptor.Namespaced && _client.Namespace is null ? _client.InNamespace(key.Namespace) : _client;
        var applied = await scoped.ApplyAsync(desired, FieldManager, force: true, cancellationToken: cancellationToken);
        _recentWrites.Record(key, fingerprint, current?.Metadata.ResourceVersion);
        return new ApplyOutcome<T>(applied, Written: true);
    }

    /// <summary>Completes the desired object: apiVersion/kind, the controller owner reference and the hash annotation.</summary>
    public void Prepare(T desired, IKubernetesObject<V1ObjectMeta>? owner)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentException.ThrowIfNullOrEmpty(desired.Metadata.Name, "desired.Metadata.Name");
        desired.ApiVersion ??= _client.Descriptor.ApiVersion;
        desired.Kind ??= _client.Descriptor.Kind;
        if (owner is not null)
        {
            OwnerReferences.SetController(desired, owner);
        }

        // The hash covers the object as desired without any earlier hash, so preparing twice gives the same result.
        var annotations = new Dictionary<string, string>(desired.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        annotations.Remove(HashAnnotation);
        desired.Metadata.Annotations = annotations.Count == 0 ? null : annotations;
        var hash = Hash(desired);
        desired.Metadata.Annotations = new Dictionary<string, string>(annotations, StringComparer.Ordinal) { [HashAnnotation] = hash };
    }

    /// <summary>Whether <paramref name="current"/> already holds every field of the prepared <paramref name="desired"/>.</summary>
    public bool IsSatisfiedBy(T desired, T current) =>
        JsonSubset.IsSubsetOf(JsonSerializer.SerializeToNode(desired, _typeInfo), JsonSerializer.SerializeToNode(current, _typeInfo));

    private string Hash(T desired)
    {
        var node = JsonSerializer.SerializeToNode(desired, _typeInfo) as JsonObject
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
