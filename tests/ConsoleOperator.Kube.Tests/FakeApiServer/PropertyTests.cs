using System.Globalization;
using System.Text.Json.Nodes;
using TestKit.FakeApiServer;
using FsCheck;
using FsCheck.Fluent;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class PropertyTests
{
    private static readonly string[] Keys = ["a", "b", "c"];

    private static Gen<JsonNode?> Json(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Choose(0, 3).Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Elements("x", "y").Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Constant<JsonNode?>(null));
        if (depth == 0)
        {
            return scalar;
        }

        var map = Gen.ListOf(Gen.Elements(Keys).Zip(Json(depth - 1)))
            .Select(pairs =>
            {
                var obj = new JsonObject();
                foreach (var (key, value) in pairs)
                {
                    obj[key] = value?.DeepClone();
                }

                return (JsonNode?)obj;
            });
        return Gen.OneOf(scalar, map, map);
    }

    private static Gen<JsonObject> JsonObjects(int depth) => Json(depth).Select(n => n as JsonObject ?? new JsonObject { ["a"] = n?.DeepClone() });

    [Fact]
    public void A_merge_patch_applied_twice_gives_the_same_result_as_once()
    {
        Prop.ForAll(
                JsonObjects(3).ToArbitrary(),
                JsonObjects(3).ToArbitrary(),
                (target, patch) =>
                {
                    var once = MergePatch.Apply(target, patch);
                    var twice = MergePatch.Apply(once, patch);
                    return JsonNode.DeepEquals(once, twice);
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_merge_patch_never_leaves_nulls_it_was_given_as_deletions()
    {
        Prop.ForAll(
                JsonObjects(2).ToArbitrary(),
                JsonObjects(2).ToArbitrary(),
                (target, patch) =>
                {
                    var result = MergePatch.Apply(target, patch)!.AsObject();
                    return patch.Where(p => p.Value is null).All(p => !result.ContainsKey(p.Key));
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_field_set_survives_the_fields_v1_round_trip()
    {
        var element = Gen.Elements("f:spec", "f:size", "f:labels", "k:{\"name\":\"web\"}", "v:\"x\"", "f:a.b");
        var path = Gen.Choose(1, 4).SelectMany(length => Gen.ArrayOf(element, length));
        Prop.ForAll(
                Gen.ListOf(path).ToArbitrary(),
                paths =>
                {
                    var set = new FieldSet();
                    foreach (var p in paths)
                    {
                        set.Add(p);
                    }

                    return FieldSet.FromFieldsV1(set.ToFieldsV1()).SetEquals(set);
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_micro_time_with_any_offset_normalizes_to_the_same_instant_in_utc()
    {
        Prop.ForAll(
                Gen.Choose(0, int.MaxValue).ToArbitrary(),
                Gen.Choose(0, 999_999).ToArbitrary(),
                Gen.Choose(-14 * 60, 14 * 60).ToArbitrary(),
                (seconds, micros, offsetMinutes) =>
                {
                    var instant = DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(micros * 10L).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
                    var text = instant.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
                    var normalized = MicroTime.Normalize(text);
                    return normalized.EndsWith('Z') && DateTimeOffset.Parse(normalized, CultureInfo.InvariantCulture) == instant;
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_json_patch_add_followed_by_remove_of_the_same_key_restores_the_document()
    {
        Prop.ForAll(
                JsonObjects(2).ToArbitrary(),
                Json(2).ToArbitrary(),
                (document, value) =>
                {
                    var operations = new JsonArray(
                        new JsonObject { ["op"] = "add", ["path"] = "/fresh", ["value"] = value?.DeepClone() },
                        new JsonObject { ["op"] = "remove", ["path"] = "/fresh" });
                    var withoutFresh = document.DeepClone().AsObject();
                    withoutFresh.Remove("fresh");
                    return JsonNode.DeepEquals(JsonPatch.Apply(withoutFresh, operations), withoutFresh);
                })
            .QuickCheckThrowOnFailure();
    }
}
