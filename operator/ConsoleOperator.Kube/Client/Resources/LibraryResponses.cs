using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>
/// Turns what the library's generic operations return into our models. We ask the library for the body as a
/// <see cref="JsonElement"/> and read it with the caller's <see cref="JsonTypeInfo{T}"/> (our MicroTime writer, our
/// entities), filling apiVersion/kind the server leaves out of list items (fixture 14/08).
/// </summary>
public static class LibraryResponses
{
    /// <summary>Awaits a library call; a body that is not JSON (the library's deserializer fails) is a protocol error.</summary>
    public static async Task<JsonElement> BodyAsync(Task<HttpOperationResponse<JsonElement>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
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
            if (!ApiErrorReader.IsJson(mediaType))
            {
                throw new InvalidDataException($"expected a JSON response, got {(mediaType is null ? "no content type" : mediaType)}");
            }

            return result.Body;
        }
    }

    public static T ReadObject<T>(JsonElement body, JsonTypeInfo<T> typeInfo, ResourceDescriptor? descriptor)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        T? value;
        try
        {
            value = body.Deserialize(typeInfo);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the {typeof(T).Name} in the response is not valid: {e.Message}", e);
        }

        if (value is null)
        {
            throw new InvalidDataException($"the response held JSON null instead of a {typeof(T).Name}");
        }

        FillTypeMeta(value, descriptor);
        return value;
    }

    /// <summary>A list page, read item by item with the item type: a custom resource needs no generated list type.</summary>
    public static ResourceList<T> ReadList<T>(JsonElement body, JsonTypeInfo<T> typeInfo, ResourceDescriptor descriptor)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(descriptor);
        try
        {
            var metadata = body.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                ? meta.Deserialize(EntityJson.TypeInfo<V1ListMeta>()) ?? new V1ListMeta()
                : new V1ListMeta();
            var items = new List<T>();
            if (body.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in array.EnumerateArray())
                {
                    var item = element.Deserialize(typeInfo)
                        ?? throw new InvalidDataException($"a null item in a {descriptor.Kind} list");
                    FillTypeMeta(item, descriptor);
                    items.Add(item);
                }
            }

            return new ResourceList<T>(metadata, items);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the {descriptor.Kind} list in the response is not valid: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // JsonElement's accessors throw this when the body is not an object at all.
            throw new InvalidDataException($"the {descriptor.Kind} list in the response is not a JSON object: {e.Message}", e);
        }
    }

    /// <summary>
    /// A DELETE answers a Status when the object went at once (null here), the object itself, with a deletionTimestamp,
    /// when finalizers (custom ones, foregroundDeletion, orphan) hold it (fixtures 03/09, 10/05, 18).
    /// </summary>
    public static T? ReadDeleteResult<T>(JsonElement body, JsonTypeInfo<T> typeInfo, ResourceDescriptor descriptor)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var isStatus = body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("kind", out var kind) && kind.ValueEquals("Status")
            && body.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.ValueEquals("v1")
            && descriptor.Kind != "Status";
        return isStatus ? null : ReadObject(body, typeInfo, descriptor);
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
}
