using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Http;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Watch;

/// <summary>
/// Reads a watch body: one JSON event per line. The stream's clean end (the server's timeoutSeconds) ends the
/// enumeration; an in-stream ERROR with a 410 Status throws <see cref="ResourceExpiredException"/> (the server never
/// answers a watch with HTTP 410, fixture 12); a silence longer than the idle timeout throws
/// <see cref="WatchIdleTimeoutException"/>, so a stalled connection cannot hang a controller.
/// </summary>
public static class WatchStreamReader
{
    public static async IAsyncEnumerable<WatchEvent<T>> ReadAsync<T>(
        Stream stream,
        JsonTypeInfo<T> typeInfo,
        ResourceDescriptor? descriptor,
        TimeSpan idleTimeout,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (idleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "the idle timeout must be positive");
        }

        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        while (true)
        {
            var line = await ReadLineAsync(reader, idleTimeout, timeProvider, cancellationToken);
            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            yield return Parse(line, typeInfo, descriptor);
        }
    }

    /// <summary>Parses one event line; ERROR events are thrown, never returned.</summary>
    public static WatchEvent<T> Parse<T>(string line, JsonTypeInfo<T> typeInfo, ResourceDescriptor? descriptor)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(typeInfo);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new KubernetesProtocolException($"a watch line is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("object", out var objectElement) || objectElement.ValueKind != JsonValueKind.Object)
            {
                throw new KubernetesProtocolException("a watch line lacks its \"type\" or \"object\"");
            }

            var typeName = typeElement.GetString();
            if (typeName == "ERROR")
            {
                throw ErrorFor(objectElement);
            }

            var type = typeName switch
            {
                "ADDED" => WatchEventType.Added,
                "MODIFIED" => WatchEventType.Modified,
                "DELETED" => WatchEventType.Deleted,
                "BOOKMARK" => WatchEventType.Bookmark,
                _ => throw new KubernetesProtocolException($"unknown watch event type '{typeName}'"),
            };

            T value;
            try
            {
                value = objectElement.Deserialize(typeInfo) ?? throw new KubernetesProtocolException("a watch event carried a null object");
            }
            catch (JsonException e)
            {
                throw new KubernetesProtocolException($"the object of a {typeName} watch event is not valid: {e.Message}", e);
            }

            ResponseReader.FillTypeMeta(value, descriptor);
            return new WatchEvent<T>(type, value, ResourceVersionOf(objectElement));
        }
    }

    private static KubernetesApiException ErrorFor(JsonElement objectElement)
    {
        V1Status status;
        try
        {
            status = objectElement.Deserialize(EntityJson.TypeInfo<V1Status>()) ?? new V1Status();
        }
        catch (JsonException e)
        {
            throw new KubernetesProtocolException($"a watch ERROR event carried no readable Status: {e.Message}", e);
        }

        status.Status ??= "Failure";
        // Decide on code/reason only: the message differs with the layer that served the watch (fixture 12).
        return status.Code == 410 || status.Reason is StatusReasons.Expired or StatusReasons.Gone
            ? new ResourceExpiredException(status)
            : new KubernetesApiException(status);
    }

    private static string? ResourceVersionOf(JsonElement objectElement) =>
        objectElement.TryGetProperty("metadata", out var metadata)
        && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("resourceVersion", out var resourceVersion)
        && resourceVersion.ValueKind == JsonValueKind.String
            ? resourceVersion.GetString()
            : null;

    private static async Task<string?> ReadLineAsync(StreamReader reader, TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var idle = new CancellationTokenSource(idleTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            return await reader.ReadLineAsync(linked.Token);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new WatchIdleTimeoutException(idleTimeout);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // An aborted HTTP/1.1 response surfaces as HttpRequestException, an HTTP/2 reset as HttpIOException.
            throw new WatchConnectionLostException($"the watch connection broke: {e.Message}", e);
        }
    }
}
