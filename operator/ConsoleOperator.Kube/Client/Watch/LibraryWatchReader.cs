using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Watch;

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
public static class LibraryWatchReader
{
    public static async IAsyncEnumerable<WatchEvent<T>> ReadAsync<T>(
        Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, object)>> start,
        JsonTypeInfo<T> typeInfo,
        ResourceDescriptor? descriptor,
        TimeSpan idleTimeout,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (idleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "the idle timeout must be positive");
        }

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
            yield return Read(events.Current.Item1, events.Current.Item2, typeInfo, descriptor);
        }

        ThrowIfReported(reported);
    }

    private static WatchEvent<T> Read<T>(WatchEventType type, object? body, JsonTypeInfo<T> typeInfo, ResourceDescriptor? descriptor)
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
            throw ErrorFor(LibraryResponses.ReadObject(element, EntityJson.TypeInfo<V1Status>(), null));
        }

        var value = LibraryResponses.ReadObject(element, typeInfo, descriptor);
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
