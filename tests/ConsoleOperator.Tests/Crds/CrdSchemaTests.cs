using System.Text.Json.Nodes;
using ConsoleOperator.Api;
using ConsoleOperator.Crds;
using ConsoleOperator.Yaml;
using ConsoleOperator.Render;

namespace ConsoleOperator.Tests.Crds;

public sealed class CrdSchemaTests
{
    private static JsonObject Schema(CustomResourceKind kind) =>
        CrdBuilder.Build(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    private static JsonObject ProxySpec => Schema(ApiKinds.ConsoleProxy)["properties"]!["spec"]!.AsObject();

    private static JsonObject TokenSpec => Schema(ApiKinds.ConsoleToken)["properties"]!["spec"]!.AsObject();

    [Fact]
    public void Names_scope_and_subresources_are_as_the_api_promises()
    {
        var crd = CrdBuilder.Build(ApiKinds.ConsoleProxy);

        Assert.Equal("consoleproxies.consoleoperator.dev", crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("Namespaced", crd["spec"]!["scope"]!.GetValue<string>());
        Assert.Equal("cproxy", crd["spec"]!["names"]!["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("ctoken", CrdBuilder.Build(ApiKinds.ConsoleToken)["spec"]!["names"]!["shortNames"]![0]!.GetValue<string>());
        var version = crd["spec"]!["versions"]![0]!;
        Assert.Equal("v1alpha1", version["name"]!.GetValue<string>());
        Assert.NotNull(version["subresources"]!["status"]);
        Assert.Equal(["Ready", "Replicas", "URL", "Age"], version["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void Proxy_spec_requires_publicURL_token_store_and_token_policy()
    {
        Assert.Equal(["publicURL", "tokenStore", "tokens"], ProxySpec["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.StartsWith("^https?://", ProxySpec["properties"]!["publicURL"]!["pattern"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Token_store_is_exactly_one_of_managed_or_external()
    {
        var store = ProxySpec["properties"]!["tokenStore"]!;

        Assert.Equal("has(self.managed) != has(self.external)", store["x-kubernetes-validations"]![0]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public void Allowed_targets_must_be_a_non_empty_list_of_CIDR_port_strings()
    {
        var targets = ProxySpec["properties"]!["tokens"]!["properties"]!["allowedTargets"]!;

        Assert.Equal(1, targets["minItems"]!.GetValue<int>());
        Assert.Equal("string", targets["items"]!["type"]!.GetValue<string>());
        Assert.NotNull(targets["items"]!["pattern"]);
    }

    [Fact]
    public void Defaults_follow_nova()
    {
        var tokens = ProxySpec["properties"]!["tokens"]!["properties"]!;
        var service = ProxySpec["properties"]!["service"]!["properties"]!;

        Assert.Equal(600, tokens["defaultTTLSeconds"]!["default"]!.GetValue<int>());
        Assert.Equal(6080, service["port"]!["default"]!.GetValue<int>());
        Assert.Equal("ClusterIP", service["type"]!["default"]!.GetValue<string>());
        Assert.Equal(2, ProxySpec["properties"]!["replicas"]!["default"]!.GetValue<int>());
        Assert.Equal(3600, TokenSpec["properties"]!["ttlSecondsAfterExpiry"]!["default"]!.GetValue<int>());
    }

    [Fact]
    public void Token_spec_is_immutable()
    {
        Assert.Equal("self == oldSelf", TokenSpec["x-kubernetes-validations"]![0]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public void Conditions_merge_by_type_under_server_side_apply()
    {
        var conditions = Schema(ApiKinds.ConsoleToken)["properties"]!["status"]!["properties"]!["conditions"]!;

        Assert.Equal("map", conditions["x-kubernetes-list-type"]!.GetValue<string>());
        Assert.Equal("type", conditions["x-kubernetes-list-map-keys"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Yaml_reads_back_as_the_same_objects()
    {
        foreach (var crd in CrdCatalog.Build())
        {
            var yaml = YamlDocumentWriter.Write([crd]);
            var parsed = Assert.Single(YamlJsonReader.ReadDocuments(yaml));

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(crd.ToJsonString()), parsed), yaml);
        }
    }
}
