using TestKit.Repository;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Api;
using ConsoleOperator.Builders;
using ConsoleOperator.Crds;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Schemas;
using ConsoleOperator.Render;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Tests.Render;

/// <summary>Every file in examples/ is valid for its CRD, renders, and renders only what a v1.28 API server accepts.</summary>
public sealed class ExampleManifestTests
{
    private static readonly ProxyRenderer Renderer = new(OperatorDefaults.ForThisRelease, "consoles");

    private static string ExamplesDirectory => Path.Combine(Checkout.Root, "examples");

    private static IReadOnlyList<string> ExampleFiles =>
        [.. Directory.GetFiles(ExamplesDirectory, "*.yaml").Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Examples => [.. ExampleFiles];

    private static RenderReport Render(string file) => Renderer.Render(file, File.ReadAllText(Path.Combine(ExamplesDirectory, file)));

    [Fact]
    public void The_promised_examples_exist()
    {
        Assert.Equal(
            ["console-token-screenshot.yaml", "console-token-share.yaml", "console-token.yaml", "external-redis.yaml", "external-sentinel.yaml", "quickstart-managed.yaml", "tls-allowed-origins.yaml"],
            ExampleFiles);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_renders(string file)
    {
        var report = Render(file);

        Assert.True(report.Succeeded, string.Join("; ", report.Proxies.SelectMany(p => p.Problems.Select(problem => $"{p.Source}: {problem}"))));
        Assert.Equal(file.StartsWith("console-token", StringComparison.Ordinal) ? 0 : 1, report.Proxies.Count);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_rendered_object_validates_against_the_recorded_openapi_schemas(string file)
    {
        foreach (var item in Render(file).Proxies.SelectMany(proxy => proxy.Objects))
        {
            var errors = OpenApiSchemas.Shared.Validate(item);

            Assert.True(errors.Count == 0, $"{file}: {item["kind"]}/{item["metadata"]!["name"]}: {string.Join("; ", errors)}");
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_rendered_object_is_json_the_typed_client_models_read_back_unchanged(string file)
    {
        foreach (var item in Render(file).Proxies.SelectMany(proxy => proxy.Objects))
        {
            var descriptor = KnownResources.Find((string)item["apiVersion"]!, (string)item["kind"]!);
            Assert.NotNull(descriptor);
            var type = typeof(V1Deployment).Assembly.GetTypes().Single(candidate =>
                candidate.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity
                && entity.Kind == descriptor.Kind && entity.Group == descriptor.Group && entity.ApiVersion == descriptor.Version);
            var typeInfo = EntityJson.Options.GetTypeInfo(type)!;

            var typed = item.Deserialize(typeInfo);

            Assert.True(JsonNode.DeepEquals(item, JsonSerializer.SerializeToNode(typed, typeInfo)), $"{file}: {item["kind"]} changed in a round trip");
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_validates_against_its_crd_schema(string file)
    {
        foreach (var document in YamlJsonReader.ReadDocuments(File.ReadAllText(Path.Combine(ExamplesDirectory, file))))
        {
            var kind = ApiKinds.All.Single(candidate => candidate.Kind == (string?)document["kind"]);
            Assert.Equal(ApiGroup.ApiVersion, (string?)document["apiVersion"]);
            // Through JSON text, as the CRD reaches the API server (the validator reads parsed JSON values only).
            var schema = JsonNode.Parse(CrdBuilder.Build(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.ToJsonString());
            var openApi = new JsonObject { ["components"] = new JsonObject { ["schemas"] = new JsonObject { [kind.Kind] = schema } } };

            var errors = new SchemaValidator(openApi).Validate(document, $"#/components/schemas/{kind.Kind}");

            Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void A_proxy_breaking_the_crd_schema_is_caught_by_the_same_check()
    {
        var schema = JsonNode.Parse(CrdBuilder.Build(ApiKinds.ConsoleProxy)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.ToJsonString());
        var openApi = new JsonObject { ["components"] = new JsonObject { ["schemas"] = new JsonObject { ["ConsoleProxy"] = schema } } };
        var broken = YamlJsonReader.ReadDocuments("""
            apiVersion: consoleoperator.dev/v1alpha1
            kind: ConsoleProxy
            metadata: {name: broken}
            spec:
              replicas: -1
              publicURL: console.example.com
              tokenStore: {managed: {}}
              tokens: {allowedTargets: []}
            """)[0];

        var errors = new SchemaValidator(openApi).Validate(broken, "#/components/schemas/ConsoleProxy");

        Assert.Contains(errors, error => error.Path.Contains("replicas", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Path.Contains("publicURL", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.Path.Contains("allowedTargets", StringComparison.Ordinal));
    }

    [Fact]
    public void The_share_example_shares_the_console_token_example_naming_the_same_proxy_and_target()
    {
        var token = YamlJsonReader.ReadDocuments(File.ReadAllText(Path.Combine(ExamplesDirectory, "console-token.yaml")))[0];
        var share = YamlJsonReader.ReadDocuments(File.ReadAllText(Path.Combine(ExamplesDirectory, "console-token-share.yaml")))[0];

        Assert.Equal((string?)token["metadata"]!["name"], (string?)share["spec"]!["shareOf"]);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(token["spec"]!["proxyRef"], share["spec"]!["proxyRef"]));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(token["spec"]!["target"], share["spec"]!["target"]));
    }

    [Fact]
    public void The_console_token_example_targets_the_quickstart_proxy_inside_its_allowed_targets()
    {
        var token = YamlJsonReader.ReadDocuments(File.ReadAllText(Path.Combine(ExamplesDirectory, "console-token.yaml")))[0];
        var proxy = YamlJsonReader.ReadDocuments(File.ReadAllText(Path.Combine(ExamplesDirectory, "quickstart-managed.yaml")))[0];
        var policy = ConsoleProxy.Tokens.Policy.TargetPolicy.Parse(proxy["spec"]!["tokens"]!["allowedTargets"]!.AsArray().Select(n => (string)n!));

        Assert.Equal((string?)proxy["metadata"]!["name"], (string?)token["spec"]!["proxyRef"]!["name"]);
        Assert.True(policy.Allows(System.Net.IPAddress.Parse((string)token["spec"]!["target"]!["host"]!), (int)token["spec"]!["target"]!["port"]!));
    }

    [Fact]
    public void The_examples_cover_managed_external_tls_and_autoscaling()
    {
        var objects = ExampleFiles.SelectMany(file => Render(file).Proxies).ToDictionary(p => p.Source.Split('#')[0], p => p.Objects);

        Assert.Contains(objects["quickstart-managed.yaml"], item => (string?)item["kind"] == "Secret");
        Assert.DoesNotContain(objects["external-redis.yaml"], item => (string?)item["kind"] == "Secret");
        Assert.Contains(objects["tls-allowed-origins.yaml"], item => (string?)item["kind"] == "HorizontalPodAutoscaler");
        var tlsConfig = objects["tls-allowed-origins.yaml"].Single(item => (string?)item["kind"] == "ConfigMap");
        Assert.Equal("true", (string?)tlsConfig["data"]!["CONSOLEPROXY_SSL_ONLY"]);
        Assert.Equal("https://portal.example.com,dashboard.example.com", (string?)tlsConfig["data"]!["CONSOLEPROXY_ALLOWED_ORIGIN"]);
    }
}
