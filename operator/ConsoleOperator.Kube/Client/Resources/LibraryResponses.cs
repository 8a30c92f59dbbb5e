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
            if (!KubernetesApiException.IsJson(mediaType))
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

    /// <summary>
    /// A list page as a <see cref="ResourceList{T}"/> (a custom resource needs no generated list type), each item with
    /// the apiVersion and kind the server leaves out of list items.
    /// </summary>
    public static ResourceList<T> ReadList<T>(JsonElement body, ResourceDescriptor descriptor)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var list = ReadObject(body, EntityJson.TypeInfo<ResourceList<T>>(), null);
        foreach (var item in list.Items ?? [])
        {
            FillTypeMeta(item ?? throw new InvalidDataException($"a null item in a {descriptor.Kind} list"), descriptor);
        }

        return new ResourceList<T>(list.Metadata ?? new V1ListMeta(), list.Items ?? []);
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

    private static void FillTypeMeta<T>(T value, ResourceDescriptor? descriptor)
    {
        if (descriptor is null || value is not IKubernetesObject<V1ObjectMeta> kubernetesObject)
        {
            return;
        }

        kubernetesObject.ApiVersion ??= descriptor.ApiVersion;
        kubernetesObject.Kind ??= descriptor.Kind;
    }
}
