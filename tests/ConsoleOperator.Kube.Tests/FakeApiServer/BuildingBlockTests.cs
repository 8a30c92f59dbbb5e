using TestKit.Time;
using System.Text.Json.Nodes;
using TestKit.FakeApiServer;
using TestKit.Fixtures;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class BuildingBlockTests
{
    private static JsonObject Labels(string json) => new() { ["metadata"] = new JsonObject { ["labels"] = JsonNode.Parse(json) } };

    [Theory]
    [InlineData("a=1", true)]
    [InlineData("a==1", true)]
    [InlineData("a!=1", false)]
    [InlineData("a in (1, 2)", true)]
    [InlineData("a notin (1)", false)]
    [InlineData("b notin (1)", true)]
    [InlineData("b!=1", true)]
    [InlineData("a,!b", true)]
    [InlineData("a>0", true)]
    [InlineData("a<1", false)]
    [InlineData("", true)]
    public void Label_selector_requirements_match_like_the_apiserver(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Labels("""{"a":"1"}""")));

    [Theory]
    [InlineData("app===x", "unable to parse requirement: found '=', expected: identifier")]
    [InlineData("a in 1", "unable to parse requirement: found '1', expected: '('")]
    [InlineData("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")]
    public void Label_selector_syntax_errors_carry_the_apiserver_message(string selector, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => LabelSelector.Parse(selector)).Message);

    [Fact]
    public void Json_patch_supports_every_rfc6902_operation()
    {
        var document = JsonNode.Parse("""{"a":{"b":1},"list":[1,2],"x":"y"}""");
        var operations = JsonNode.Parse("""
            [{"op":"test","path":"/a/b","value":1},
             {"op":"add","path":"/list/-","value":3},
             {"op":"add","path":"/list/0","value":0},
             {"op":"replace","path":"/x","value":"z"},
             {"op":"copy","from":"/a","path":"/c"},
             {"op":"move","from":"/a/b","path":"/moved"},
             {"op":"remove","path":"/list/1"},
             {"op":"add","path":"/k~1e~0y","value":true}]
            """)!.AsArray();

        var result = JsonPatch.Apply(document, operations);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{},"list":[0,2,3],"x":"z","c":{"b":1},"moved":1,"k/e~y":true}"""), result), result!.ToJsonString());
        Assert.Equal("""{"a":{"b":1},"list":[1,2],"x":"y"}""", document!.ToJsonString());
    }

    [Fact]
    public void A_failed_json_patch_test_is_reported_as_such_and_a_missing_path_as_a_format_error()
    {
        var document = JsonNode.Parse("""{"a":1}""");

        Assert.Throws<JsonPatchTestFailedException>(() => JsonPatch.Apply(document, JsonNode.Parse("""[{"op":"test","path":"/a","value":2}]""")!.AsArray()));
        Assert.Throws<FormatException>(() => JsonPatch.Apply(document, JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!.AsArray()));
    }

    [Fact]
    public void Merge_patch_follows_rfc7386_and_strategic_merge_merges_keyed_lists()
    {
        var target = JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"},"list":[1]}""");

        var merged = MergePatch.Apply(target, JsonNode.Parse("""{"a":"z","c":{"f":null},"list":[2]}"""));
        var strategic = MergePatch.ApplyStrategic(
            JsonNode.Parse("""{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}}"""),
            JsonNode.Parse("""{"spec":{"containers":[{"name":"b","image":"2"},{"name":"c","image":"3"}]}}"""));

        Assert.Equal("""{"a":"z","c":{"d":"e"},"list":[2]}""", merged!.ToJsonString());
        Assert.Equal("""{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"},{"name":"c","image":"3"}]}}""", strategic!.ToJsonString());
    }

    [Theory]
    [InlineData("2026-11-20T23:32:30.123456Z", "2026-11-20T23:32:30.123456Z")]
    [InlineData("2026-11-21T01:32:30.000000+02:00", "2026-11-20T23:32:30.000000Z")]
    public void Micro_time_is_normalized_to_utc_with_six_digits(string input, string expected) =>
        Assert.Equal(expected, MicroTime.Normalize(input));

    [Theory]
    [InlineData("2026-11-20T23:32:50.5Z", "cannot parse \".5Z\" as \".000000\"")]
    [InlineData("2026-11-20T23:32:30.123456789Z", "cannot parse \"789Z\" as \"Z07:00\"")]
    [InlineData("2026-11-20T23:32:30Z", "cannot parse \"Z\" as \".000000\"")]
    [InlineData("2026-11-20 23:32:30", "cannot parse \" 23:32:30\" as \"T\"")]
    public void Micro_time_errors_use_go_wording(string input, string tail) =>
        Assert.Equal(
            $"parsing time \"{input}\" as \"2006-01-02T15:04:05.000000Z07:00\": {tail}",
            Assert.Throws<FormatException>(() => MicroTime.Normalize(input)).Message);

    [Fact]
    public void Field_sets_round_trip_through_fields_v1_with_member_markers()
    {
        var recorded = FixtureLibrary.Get("10-finalizers/05-delete-with-finalizers-200").Response.BodyText!;
        var fieldsV1 = JsonNode.Parse(recorded)!["metadata"]!["managedFields"]![0]!["fieldsV1"]!.AsObject();

        var set = FieldSet.FromFieldsV1(fieldsV1);

        Assert.Equal(fieldsV1.ToJsonString(), set.ToFieldsV1().ToJsonString());
        Assert.True(set.Contains(["f:metadata", "f:finalizers", "v:\"example.dev/cleanup\""]));
        Assert.True(set.Contains(["f:spec"]));
        Assert.Equal(".spec.containers[name=\"web\"].image", FieldSet.Describe(["f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"]));
    }

    [Fact]
    public void Continue_tokens_use_the_recorded_encoding()
    {
        var recorded = (string)JsonNode.Parse(FixtureLibrary.Get("04-list-pagination/01-list-limit2-page1").Response.BodyText!)!["metadata"]!["continue"]!;

        var decoded = ContinueToken.Decode(recorded);

        Assert.Equal(204, decoded.ResourceVersion);
        Assert.Equal("w2\0", decoded.Start);
        Assert.Equal(recorded, decoded.Encode());
    }

    [Fact]
    public void Repeated_json_keys_keep_the_last_value_and_are_reported()
    {
        var (node, duplicates) = BodyDecoder.DecodeJson("""{"spec":{"size":2,"size":4}}"""u8.ToArray());

        Assert.Equal(4, (int)node!["spec"]!["size"]!);
        Assert.Equal(["spec.size"], duplicates);
    }

    [Fact]
    public void Yaml_bodies_become_json_with_yaml_scalar_types()
    {
        var node = BodyDecoder.Decode("a: 1\nb: \"1\"\nc: true\nd: ~\ne: [x, 2.5]\n"u8.ToArray(), "application/apply-patch+yaml");

        Assert.Equal("""{"a":1,"b":"1","c":true,"d":null,"e":["x",2.5]}""", node!.ToJsonString());
    }

    [Fact]
    public async Task The_manual_clock_fires_delays_only_when_advanced()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var delay = Task.Delay(TimeSpan.FromSeconds(10), clock);

        clock.Advance(TimeSpan.FromSeconds(9));
        var earlyCompleted = delay.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(earlyCompleted);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(10), clock.GetUtcNow());
    }

    [Fact]
    public void The_crd_schema_checks_types_bounds_lengths_items_patterns_and_required_fields()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","required":["size"],"properties":{
              "size":{"type":"integer","minimum":1,"maximum":5},
              "name":{"type":"string","maxLength":3,"pattern":"^[a-z]+$"},
              "list":{"type":"array","minItems":1,"items":{"type":"string"}},
              "mode":{"type":"string","enum":["a","b"]}}}}}
            """)!.AsObject();
        var valid = JsonNode.Parse("""{"spec":{"size":2,"name":"ab","list":["x"],"mode":"a"}}""")!.AsObject();
        var invalid = JsonNode.Parse("""{"spec":{"size":9,"name":"ABCD","list":[],"mode":"c","extra":1}}""")!.AsObject();

        var unknown = CustomResourceSchema.Prune(invalid, schema);
        var causes = CustomResourceSchema.Validate(invalid, schema);

        Assert.Empty(CustomResourceSchema.Validate(valid, schema));
        Assert.Equal(["spec.extra"], unknown);
        Assert.Equal(
            ["spec.list", "spec.mode", "spec.name", "spec.name", "spec.size"],
            causes.Select(c => c.Field).Order(StringComparer.Ordinal));
        Assert.Contains(causes, c => c.Message == "Invalid value: 9: spec.size in body should be less than or equal to 5");
        Assert.Contains(causes, c => c.Reason == "FieldValueNotSupported" && c.Message == "Unsupported value: \"c\": supported values: \"a\", \"b\"");
        Assert.Empty(CustomResourceSchema.Validate(JsonNode.Parse("""{"spec":{}}""")!.AsObject(), new JsonObject()));
        Assert.Equal("Required value", CustomResourceSchema.Validate(JsonNode.Parse("""{"spec":{}}""")!.AsObject(), schema).Single().Message);
    }
}
