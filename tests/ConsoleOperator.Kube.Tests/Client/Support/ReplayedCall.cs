using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Fixtures;
using TestKit.Replay;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>
/// The client call that reproduces a recorded request, or null when the exchange is outside what the client sends
/// (discovery, Table/YAML/protobuf Accept, strategic merge patch, YAML bodies, a PUT to status, dryRun/fieldManager/fieldValidation outside an apply, subresources other than status...).
/// </summary>
public sealed record ReplayedCall(ResourceDescriptor Descriptor, string? Namespace, Func<ResourceClient<UntypedObject>, Task<object?>> Invoke)
{
    private static readonly HashSet<string> ListParameters = ["limit", "continue", "labelSelector", "fieldSelector", "resourceVersion"];
    private static readonly HashSet<string> WatchParameters = ["watch", "allowWatchBookmarks", "labelSelector", "fieldSelector", "resourceVersion", "timeoutSeconds"];

    public static ReplayedCall? For(RecordedExchange exchange)
    {
        if (exchange.Accept != "application/json")
        {
            return null;
        }

        var parsed = FixtureDescriptors.Parse(exchange.Target, "Object");
        if (parsed is null)
        {
            return null;
        }

        var (descriptor, ns, name, subresource) = parsed.Value;
        if (subresource is not null && subresource != "status")
        {
            return null;
        }

        var query = ReceivedRequest.ParseQuery(exchange.Request.Query);
        var q = query.ToDictionary(p => p.Key, p => p.Value);
        var body = exchange.Request.Body;
        Func<ResourceClient<UntypedObject>, Task<object?>>? invoke = (exchange.Method, name, subresource) switch
        {
            // The client always asks for bookmarks.
            ("GET", null, null) when q.ContainsKey("watch") && q.GetValueOrDefault("allowWatchBookmarks") == "true" && q.Keys.All(WatchParameters.Contains) =>
                client => WatchAllAsync(client, q),
            ("GET", null, null) when q.Keys.All(ListParameters.Contains) => async client => await client.ListAsync(new ListOptions
            {
                Limit = q.TryGetValue("limit", out var limit) ? int.Parse(limit, System.Globalization.CultureInfo.InvariantCulture) : null,
                Continue = q.GetValueOrDefault("continue"),
                LabelSelector = q.GetValueOrDefault("labelSelector"),
                FieldSelector = q.GetValueOrDefault("fieldSelector"),
                ResourceVersion = q.GetValueOrDefault("resourceVersion"),
            }),
            ("GET", not null, null) when q.Count == 0 => async client => await client.GetAsync(name),
            ("POST", null, null) when IsJsonObject(exchange, body) && q.Count == 0 && NamespaceAgrees(body!, ns) =>
                async client => await client.CreateAsync(Read(body!)),
            ("PUT", not null, null) when IsJsonObject(exchange, body) && q.Count == 0 && (string?)JsonNode.Parse(body!)!["metadata"]?["name"] == name =>
                async client => await client.ReplaceAsync(Read(body!)),
            ("PATCH", not null, _) when exchange.RequestContentType == "application/merge-patch+json" && q.Count == 0 =>
                async client => await client.MergePatchAsync(name, JsonNode.Parse(body!)!, subresource == "status"),
            ("PATCH", not null, _) when exchange.RequestContentType == "application/json-patch+json" && q.Count == 0 =>
                async client => await client.JsonPatchAsync(name, Operations(body!), subresource == "status"),
            ("PATCH", not null, _) when exchange.RequestContentType == "application/apply-patch+yaml" && IsApplyBody(body) && q.ContainsKey("fieldManager")
                && q.Keys.All(k => k is "fieldManager" or "force" or "dryRun") =>
                async client => subresource is null
                    ? await client.ApplyAsync(Read(body!), q["fieldManager"], q.GetValueOrDefault("force") == "true", q.ContainsKey("dryRun"))
                    : await client.ApplyStatusAsync(Read(body!), q["fieldManager"], q.GetValueOrDefault("force") == "true", q.ContainsKey("dryRun")),
            ("DELETE", not null, null) when q.Count == 0 => async client => await client.DeleteAsync(
                name,
                body is null ? null : JsonSerializer.Deserialize(body, EntityJson.TypeInfo<V1DeleteOptions>())),
            _ => null,
        };

        return invoke is null ? null : new ReplayedCall(descriptor, ns, invoke);
    }

    private static async Task<object?> WatchAllAsync(ResourceClient<UntypedObject> client, Dictionary<string, string> q)
    {
        var events = new List<object>();
        var options = new WatchOptions
        {
            ResourceVersion = q.GetValueOrDefault("resourceVersion"),
            LabelSelector = q.GetValueOrDefault("labelSelector"),
            FieldSelector = q.GetValueOrDefault("fieldSelector"),
            TimeoutSeconds = q.TryGetValue("timeoutSeconds", out var timeout) ? int.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) : null,
            IdleTimeout = TimeSpan.FromSeconds(20),
        };
        await foreach (var e in client.WatchAsync(options))
        {
            events.Add(e);
        }

        return events;
    }

    private static UntypedObject Read(byte[] body) =>
        JsonSerializer.Deserialize(body, EntityJson.TypeInfo<UntypedObject>())!;

    private static JsonArray Operations(byte[] body) => JsonNode.Parse(body)!.AsArray();

    /// <summary>A JSON object body without duplicate keys (05/08 and 05/09 send duplicates on purpose).</summary>
    private static bool IsJsonObject(RecordedExchange exchange, byte[]? body)
    {
        if (exchange.RequestContentType != "application/json" || body is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && !HasDuplicateKeys(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool HasDuplicateKeys(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().GroupBy(p => p.Name).Any(g => g.Count() > 1)
            || element.EnumerateObject().Any(p => HasDuplicateKeys(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasDuplicateKeys),
        _ => false,
    };

    /// <summary>An apply body the client would send unchanged: JSON with apiVersion and kind (22/07 omits them, 08/10 is YAML).</summary>
    private static bool IsApplyBody(byte[]? body)
    {
        try
        {
            return body is not null && JsonNode.Parse(body) is JsonObject o && o.ContainsKey("apiVersion") && o.ContainsKey("kind");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The client refuses a body namespace that contradicts the URL before sending (03/07).</summary>
    private static bool NamespaceAgrees(byte[] body, string? ns)
    {
        var bodyNamespace = (string?)JsonNode.Parse(body)!["metadata"]?["namespace"];
        return bodyNamespace is null || bodyNamespace == ns;
    }
}
