using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Builders.Validation;
using ConsoleOperator.Crds;
using ConsoleOperator.Kube.Client.Entities;
using k8s;
using k8s.Models;
using YamlDotNet.Core;

namespace ConsoleOperator.Render;

/// <summary>
/// Turns ConsoleProxy manifests into the objects the operator would apply for them, without a cluster: the same
/// defaults the API server would fill in from the CRD, the same validation and the same builders as the
/// controller. What only a cluster knows is marked: the owner uid (unless the manifest has one) and the managed
/// Redis password, which is never printed.
/// </summary>
public sealed class ProxyRenderer(OperatorDefaults defaults, string defaultNamespace)
{
    /// <summary>The owner uid written when the manifest has none: the API server assigns the real one.</summary>
    public const string PlaceholderUid = "<assigned-by-the-api-server>";

    private static readonly JsonObject ProxySchema =
        CrdBuilder.Build(ApiKinds.ConsoleProxy)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    public RenderReport Render(string source, string yaml)
    {
        IReadOnlyList<YamlJsonDocument> documents;
        try
        {
            documents = YamlJsonReader.ReadDocumentsWithLines(yaml);
        }
        catch (YamlException exception)
        {
            return new RenderReport([Refused(source, "document", $"not valid YAML: {exception.Message}")], []);
        }

        var proxies = new List<RenderedProxy>();
        var skipped = new List<string>();
        for (var index = 0; index < documents.Count; index++)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"{source}#{index + 1}");
            if (documents[index].Json is not JsonObject document)
            {
                proxies.Add(Refused(where, "document", "a Kubernetes object must be a YAML mapping"));
                continue;
            }

            var kind = (document["kind"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? document["kind"]!.GetValue<string>() : null;
            if (kind != ConsoleProxyResource.KindName)
            {
                skipped.Add(kind == ConsoleTokenResource.KindName
                    ? $"{where}: ConsoleToken: the operator creates its Secret only when minting, in the cluster; nothing to render"
                    : $"{where}: kind '{kind ?? "(none)"}' is not a ConsoleProxy");
                continue;
            }

            proxies.Add(RenderProxy(where, document, path => At(source, documents[index].LineOf(path))));
        }

        return new RenderReport(proxies, skipped);
    }

    /// <summary>" at line N of FILE", or nothing when the line is unknown.</summary>
    private static string At(string source, int? line) =>
        line is { } known ? string.Create(CultureInfo.InvariantCulture, $" at line {known} of {source}") : string.Empty;

    private RenderedProxy RenderProxy(string where, JsonObject document, Func<string, string> at)
    {
        var apiVersion = (document["apiVersion"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? document["apiVersion"]!.GetValue<string>() : null;
        if (apiVersion != ApiGroup.ApiVersion)
        {
            return Refused(where, "apiVersion", $"'{apiVersion}' is not served; use {ApiGroup.ApiVersion}");
        }

        // Status is the operator's to write; a manifest's own is not part of what gets applied.
        document.Remove("status");
        var unknown = ManifestFieldCheck.FindUnknown(document, ProxySchema);
        if (unknown.Count > 0)
        {
            return new RenderedProxy(where, [], [.. unknown.Select(field => new ValidationProblem(
                field.Path,
                $"unknown field{(field.Suggestion is { } suggestion ? $" (did you mean {suggestion}?)" : string.Empty)}{at(field.Path)}"))]);
        }

        SchemaDefaults.Apply(document, ProxySchema);
        var metadata = document["metadata"] as JsonObject ?? new JsonObject();
        document["metadata"] = metadata;
        if (metadata["namespace"] is null)
        {
            metadata["namespace"] = defaultNamespace;
        }

        if (metadata["uid"] is null)
        {
            metadata["uid"] = PlaceholderUid;
        }

        ConsoleProxyResource proxy;
        try
        {
            proxy = document.Deserialize<ConsoleProxyResource>(ApiJson.Options)
                ?? throw new JsonException("the document is null");
        }
        catch (JsonException exception)
        {
            // The serializer's own message names .NET types and a line of the intermediate JSON; say it in the
            // manifest's terms instead.
            var path = exception.Path is { Length: > 1 } jsonPath ? jsonPath.TrimStart('$', '.') : "document";
            var expected = ManifestFieldCheck.TypeAt(ProxySchema, path) is { } type ? $"expected {(type is "integer" or "object" or "array" ? "an" : "a")} {type}" : "not a value this field takes";
            return Refused(where, path, $"{expected}{at(path)}");
        }

        var name = $"{where} {proxy.Metadata.NamespaceProperty}/{proxy.Metadata.Name}";
        var problems = ConsoleProxyValidator.Validate(proxy);
        if (problems.Count > 0)
        {
            return new RenderedProxy(name, [], problems);
        }

        var objects = ConsoleProxyObjects.Build(proxy, defaults, RedisPassword.Withheld).All();
        return new RenderedProxy(
            name,
            [.. objects.Select(ToJson)],
            []);
    }

    private static JsonObject ToJson(IKubernetesObject<V1ObjectMeta> item)
    {
        var typeInfo = EntityJson.Options.GetTypeInfo(item.GetType())
            ?? throw new InvalidOperationException($"the client has no JSON contract for {item.GetType().Name}");
        return JsonSerializer.SerializeToNode(item, typeInfo)!.AsObject();
    }

    private static RenderedProxy Refused(string where, string field, string message) => new(where, [], [new ValidationProblem(field, message)]);
}
