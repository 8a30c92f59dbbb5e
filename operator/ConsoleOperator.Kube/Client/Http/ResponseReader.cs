using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Http;

/// <summary>Reads successful response bodies into models. Bodies are JSON because every request sends Accept: application/json.</summary>
public static class ResponseReader
{
    public static async Task<T> ReadObjectAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, ResourceDescriptor? descriptor, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(response);
        EnsureJson(response);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new KubernetesProtocolException($"the {typeof(T).Name} in the response is not valid: {e.Message}", e);
        }

        if (value is null)
        {
            throw new KubernetesProtocolException($"the response held JSON null instead of a {typeof(T).Name}");
        }

        FillTypeMeta(value, descriptor);
        return value;
    }

    /// <summary>
    /// A list page. Items are read one by one with the item type, so a custom resource needs no generated list type;
    /// built-in list items lack kind/apiVersion (fixture 14/08) and get them from the descriptor.
    /// </summary>
    public static async Task<ResourceList<T>> ReadListAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, ResourceDescriptor descriptor, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(response);
        EnsureJson(response);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var root = document.RootElement;
            var metadata = root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                ? meta.Deserialize(EntityJson.TypeInfo<V1ListMeta>()) ?? new V1ListMeta()
                : new V1ListMeta();
            var items = new List<T>();
            if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in array.EnumerateArray())
                {
                    var item = element.Deserialize(typeInfo)
                        ?? throw new KubernetesProtocolException($"a null item in a {descriptor.Kind} list");
                    FillTypeMeta(item, descriptor);
                    items.Add(item);
                }
            }

            return new ResourceList<T>(metadata, items);
        }
        catch (JsonException e)
        {
            throw new KubernetesProtocolException($"the {descriptor.Kind} list in the response is not valid: {e.Message}", e);
        }
    }

    /// <summary>A DELETE answers a Status when the object went at once, the object itself when finalizers hold it (fixtures 03/09, 10/05, 18).</summary>
    public static async Task<DeleteResult<T>> ReadDeleteResultAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, ResourceDescriptor descriptor, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(response);
        EnsureJson(response);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var isStatus = root.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status")
                && root.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.ValueEquals("v1")
                && descriptor.Kind != "Status";
            if (isStatus)
            {
                return new DeleteResult<T>(root.Deserialize(EntityJson.TypeInfo<V1Status>())!, null);
            }

            var value = root.Deserialize(typeInfo) ?? throw new KubernetesProtocolException("a DELETE answered JSON null");
            FillTypeMeta(value, descriptor);
            return new DeleteResult<T>(null, value);
        }
        catch (JsonException e)
        {
            throw new KubernetesProtocolException($"the DELETE response is not valid: {e.Message}", e);
        }
    }

    internal static void FillTypeMeta<T>(T value, ResourceDescriptor? descriptor)
    {
        if (descriptor is null || value is not IKubernetesObject<V1ObjectMeta> kubernetesObject)
        {
            return;
        }

        kubernetesObject.ApiVersion ??= descriptor.ApiVersion;
        kubernetesObject.Kind ??= descriptor.Kind;
    }

    private static void EnsureJson(HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!ApiErrorReader.IsJson(mediaType))
        {
            throw new KubernetesProtocolException($"expected a JSON response, got {(mediaType is null ? "no content type" : mediaType)}");
        }
    }
}
