using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Finalizers;

/// <summary>
/// Adds and removes a finalizer with a JSON Patch that first tests the finalizer list as it was read (or the
/// resourceVersion when there was none), never with a PUT: a concurrent change of the list makes the patch fail
/// instead of silently overwriting someone else's finalizer. Nothing is written when the list already is as wanted.
/// A failed test (the server's 422 without causes, fixture 10/03) or a 409 surfaces as a 409 Conflict
/// <see cref="KubernetesApiException"/>, which controllers retry quietly from the fresh state.
/// </summary>
public static class FinalizerPatcher
{
    /// <summary>
    /// Ensures <paramref name="finalizer"/> is on the object. Returns the object as written, or the given one when
    /// nothing had to change. An object already being deleted gets no new finalizer (the server forbids it):
    /// the given object is returned and the caller goes on with the deletion flow.
    /// </summary>
    public static Task<T> AddAsync<T>(ResourceClient<T> client, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.DeletionTimestamp() is not null ? Task.FromResult(obj) : SetAsync(client, obj, finalizer, present: true, cancellationToken);
    }

    /// <summary>
    /// Removes every occurrence of <paramref name="finalizer"/> from the object. Returns the object as written (when it
    /// was the last finalizer of a terminating object, the server deletes it in the same call), or the given one when
    /// it was not there.
    /// </summary>
    public static Task<T> RemoveAsync<T>(ResourceClient<T> client, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        SetAsync(client, obj, finalizer, present: false, cancellationToken);

    private static async Task<T> SetAsync<T>(ResourceClient<T> client, T obj, string finalizer, bool present, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        ValidateName(finalizer);
        var current = obj.Metadata.Finalizers ?? [];
        if (current.Contains(finalizer) == present)
        {
            return obj;
        }

        return await PatchAsync(client, obj, present ? [.. current, finalizer] : [.. current.Where(name => name != finalizer)], cancellationToken);
    }

    /// <summary>One RFC 6902 operation with a value (JSON null included: a <c>test</c> of null must carry it).</summary>
    private static JsonObject Operation(string op, string path, JsonNode? value) => new() { ["op"] = op, ["path"] = path, ["value"] = value };

    private static JsonArray List(IEnumerable<string> finalizers) => new([.. finalizers.Select(f => (JsonNode?)JsonValue.Create(f))]);

    private static JsonObject Guard(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj.Metadata.Finalizers is { } finalizers)
        {
            return Operation("test", "/metadata/finalizers", List(finalizers));
        }

        var resourceVersion = obj.Metadata.ResourceVersion;
        if (string.IsNullOrEmpty(resourceVersion))
        {
            throw new ArgumentException("The object has neither finalizers nor a resourceVersion to guard the patch with: pass an object read from the server.", nameof(obj));
        }

        return Operation("test", "/metadata/resourceVersion", resourceVersion);
    }

    // The guard tests the whole list as read, so writing the whole new list overwrites nobody's finalizer.
    private static async Task<T> PatchAsync<T>(ResourceClient<T> client, T obj, List<string> finalizers, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        var patch = new JsonArray(Guard(obj), Operation("add", "/metadata/finalizers", List(finalizers)));
        var name = obj.Metadata.Name ?? throw new ArgumentException("The object has no metadata.name.", nameof(obj));
        var scoped = client.Descriptor.Namespaced && client.Namespace is null ? client.InNamespace(obj.Metadata.NamespaceProperty) : client;
        try
        {
            return await scoped.JsonPatchAsync(name, patch, cancellationToken: cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsConflict || (e.IsInvalid && e.Causes.Count == 0))
        {
            var status = new V1Status
            {
                Status = "Failure",
                Code = 409,
                Reason = "Conflict",
                Message = $"the finalizers of {client.Descriptor.Kind} {new ObjectKey(obj.Metadata.NamespaceProperty ?? string.Empty, name)} changed since they were read; retry with the current object",
            };
            throw new KubernetesApiException(status, null, e);
        }
    }

    /// <summary>Throws unless <paramref name="finalizer"/> is a name the API server takes (also checked when a finalizer is registered).</summary>
    internal static void ValidateName(string finalizer)
    {
        // The API server requires a qualified name; a domain prefix keeps finalizers of different owners apart.
        ArgumentException.ThrowIfNullOrWhiteSpace(finalizer);
        if (!finalizer.Contains('/', StringComparison.Ordinal) || finalizer.Length > 316)
        {
            throw new ArgumentException($"'{finalizer}' is not a valid finalizer name: use a domain-qualified name such as example.dev/cleanup.", nameof(finalizer));
        }
    }
}
