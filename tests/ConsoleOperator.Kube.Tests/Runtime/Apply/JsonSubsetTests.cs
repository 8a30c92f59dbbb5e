using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Runtime.Apply;

namespace ConsoleOperator.Kube.Tests.Runtime.Apply;

public sealed class JsonSubsetTests
{
    [Theory]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", true)]
    [InlineData("""{"a":{"x":"y"}}""", """{"a":{"x":"y","defaulted":true}}""", true)]
    [InlineData("""{"a":1}""", """{"a":2}""", false)]
    [InlineData("""{"a":1}""", """{"b":1}""", false)]
    [InlineData("""{"a":1.0}""", """{"a":1}""", true)]
    [InlineData("""{"a":"1"}""", """{"a":1}""", false)]
    [InlineData("""{"l":[{"n":"x"}]}""", """{"l":[{"n":"x","port":80}]}""", true)]
    [InlineData("""{"l":[{"n":"x"}]}""", """{"l":[{"n":"x"},{"n":"y"}]}""", false)]
    [InlineData("""{"l":["a","b"]}""", """{"l":["b","a"]}""", false)]
    [InlineData("""{"a":null}""", """{"a":null}""", true)]
    [InlineData("""{"a":null}""", """{"a":1}""", false)]
    public void A_desired_document_is_satisfied_when_the_current_one_holds_every_desired_field(string desired, string current, bool expected)
    {
        Assert.Equal(expected, JsonSubset.IsSubsetOf(JsonNode.Parse(desired), JsonNode.Parse(current)));
    }

    [Fact]
    public void Numbers_built_in_code_equal_the_same_numbers_read_from_the_server()
    {
        Assert.True(JsonSubset.IsSubsetOf(new JsonObject { ["a"] = 1.0m, ["b"] = 2 }, JsonNode.Parse("""{"a":1,"b":2.0,"c":3}""")));
        Assert.False(JsonSubset.IsSubsetOf(new JsonObject { ["a"] = 1.5 }, JsonNode.Parse("""{"a":1}""")));
    }

    [Fact]
    public void A_condition_whose_status_holds_is_equal_whatever_its_transition_time()
    {
        var desired = JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-20T12:05:00Z"}]}""");
        var current = JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-20T12:00:00Z"}]}""");

        Assert.True(JsonSubset.IsSubsetOf(desired, current));
    }

    [Fact]
    public void A_condition_whose_status_flipped_differs()
    {
        var desired = JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"False","lastTransitionTime":"2026-11-20T12:05:00Z"}]}""");
        var current = JsonNode.Parse("""{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-20T12:00:00Z"}]}""");

        Assert.False(JsonSubset.IsSubsetOf(desired, current));
    }

    [Fact]
    public void Transition_times_count_outside_conditions()
    {
        var desired = JsonNode.Parse("""{"other":[{"status":"True","lastTransitionTime":"2026-11-20T12:05:00Z"}]}""");
        var current = JsonNode.Parse("""{"other":[{"status":"True","lastTransitionTime":"2026-11-20T12:00:00Z"}]}""");

        Assert.False(JsonSubset.IsSubsetOf(desired, current));
    }

    [Fact]
    public void Nothing_current_satisfies_something_desired()
    {
        Assert.False(JsonSubset.IsSubsetOf(JsonNode.Parse("""{"phase":"Ready"}"""), null));
    }
}
