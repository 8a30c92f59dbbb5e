using System.Text.Json.Nodes;
using ConsoleOperator.Api;
using ConsoleOperator.Crds;
using ConsoleOperator.Render;

namespace ConsoleOperator.Tests.Render;

public sealed class SchemaDefaultsTests
{
    private static JsonObject ProxySchema => CrdBuilder.Build(ApiKinds.ConsoleProxy)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    [Fact]
    public void Missing_fields_get_the_crd_defaults_and_given_ones_are_kept()
    {
        var proxy = JsonNode.Parse("""{"spec":{"replicas":5,"service":{"type":"NodePort"},"tokens":{"allowedTargets":["10.0.0.0/8"]}}}""")!;

        SchemaDefaults.Apply(proxy, ProxySchema);

        Assert.Equal(5, proxy["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("NodePort", proxy["spec"]!["service"]!["type"]!.GetValue<string>());
        Assert.Equal(6080, proxy["spec"]!["service"]!["port"]!.GetValue<int>());
        Assert.Equal(600, proxy["spec"]!["tokens"]!["defaultTTLSeconds"]!.GetValue<int>());
    }

    [Fact]
    public void Absent_objects_stay_absent_as_on_the_api_server()
    {
        var proxy = JsonNode.Parse("""{"spec":{}}""")!;

        SchemaDefaults.Apply(proxy, ProxySchema);

        Assert.Null(proxy["spec"]!["service"]);
        Assert.Null(proxy["spec"]!["autoscaling"]);
        Assert.Equal(2, proxy["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Array_items_and_map_values_are_defaulted_too()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "list":{"type":"array","items":{"type":"object","properties":{"n":{"type":"integer","default":3}}}},
              "map":{"type":"object","additionalProperties":{"type":"object","properties":{"m":{"type":"string","default":"x"}}}}}}
            """)!.AsObject();
        var value = JsonNode.Parse("""{"list":[{},{"n":1}],"map":{"a":{}}}""")!;

        SchemaDefaults.Apply(value, schema);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"list":[{"n":3},{"n":1}],"map":{"a":{"m":"x"}}}"""), value));
    }
}
