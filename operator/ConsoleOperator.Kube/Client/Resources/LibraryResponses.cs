using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Watch;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>
/// Turns what the library's generic operations return into our models. We ask the library for the body as a
/// <see cref="JsonElement"/> and read it with the caller's <see cref="JsonTypeInfo{T}"/> (our MicroTime writer, our
/// entities), filling apiVersion/kind the server leaves out of list items (fixture 14/08); the same for a watch's events.
/// </summary>
internal static class LibraryResponses
{
    /// <summary>Awaits a library call; a body that is not JSON (the library's deserializer fails) is a protocol error.</summary>
    public static async Task<JsonElement> BodyAsync(Task<HttpOperationResponse<JsonElement>> call)
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

    public static T ReadObject<T>(JsonElement body, JsonTypeInfo<T> typeInfo, ResourceDescriptor? descriptor)
        where T : class
    {
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

    /// <summary>
    /// A watch read with the library's own reader (its <c>WatchList...Async</c> operations), plus what it lacks,
    /// each pinned by a contract test (LibraryWatchContractTests):
    /// <list type="bullet">
    /// <item>An in-stream ERROR with a Status reaches only the <c>onError</c> callback, and the library reads on; without
    /// it the event is dropped silently. Here it is thrown as a <see cref="KubernetesApiException"/>: for a 410 (too old a
    /// resourceVersion, whether in-stream or as the HTTP answer at the start) one whose IsGone says "relist".</item>
    /// <item>The library never notices a stalled stream: a silence longer than the idle timeout throws
    /// a <see cref="TimeoutException"/>, so a half-dead connection cannot hang a controller.</item>
    /// <item>A broken connection surfaces from the library as the transport's IOException or an HttpRequestException;
    /// here it is always an <see cref="IOException"/> ("resume from the last resourceVersion").</item>
    /// <item>The library's call peeks at the first line before it returns; a watch that the server ends before any event
    /// (timeoutSeconds on a quiet resource, fixture 11/04) makes that peek throw an EndOfStreamException, which
    /// HttpClient wraps in an HttpRequestException. That is a clean end here, like any other end of stream.</item>
    /// </list>
    /// Events come as <see cref="JsonElement"/> and are read with the caller's type info, like every other answer.
    /// </summary>
    public static async IAsyncEnumerable<WatchEvent<T>> ReadWatchAsync<T>(
        Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, object)>> start,
        JsonTypeInfo<T> typeInfo,
        ResourceDescriptor? descriptor,
        TimeSpan idleTimeout,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        using var idle = new CancellationTokenSource(idleTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        // The library calls onError for an in-stream Status and for a line it cannot parse, then reads on.
        Exception? reported = null;
        // Disposing the library's enumerator disposes its reader, which closes the response stream: stopping early aborts the watch.
        await using var events = start(error => reported ??= error, linked.Token).GetAsyncEnumerator(linked.Token);
        while (await MoveNextAsync(events, idle, idleTimeout, cancellationToken))
        {
            ThrowIfReported(reported);
            // Any line, a bookmark included, proves the connection alive.
            idle.CancelAfter(idleTimeout);
            yield return ReadEvent(events.Current.Item1, events.Current.Item2, typeInfo, descriptor);
        }

        ThrowIfReported(reported);
    }

    private static WatchEvent<T> ReadEvent<T>(WatchEventType type, object? body, JsonTypeInfo<T> typeInfo, ResourceDescriptor? descriptor)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        // The library reads an event's object as object, which System.Text.Json makes a JsonElement (a contract test pins it).
        if (body is not JsonElement element)
        {
            throw new InvalidDataException($"the library handed a {type} watch event as {body?.GetType().Name ?? "null"}, not JSON");
        }

        if (type == WatchEventType.Error)
        {
            // The library hands ERROR events with a kind "Status" to onError; one without that kind arrives here.
            throw ErrorFor(ReadObject(element, EntityJson.TypeInfo<V1Status>(), null));
        }

        var value = ReadObject(element, typeInfo, descriptor);
        return new WatchEvent<T>(type, value, value.Metadata?.ResourceVersion);
    }

    private static KubernetesApiException ErrorFor(V1Status status)
    {
        status.Status ??= "Failure";
        // Callers decide on code/reason only (IsGone: relist): the message differs with the layer that served the watch (fixture 12).
        return new KubernetesApiException(status);
    }

    /// <summary>One step of the library's enumerator, with each way it can fail named as this reader promises.</summary>
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
