using static ConsoleOperator.Kube.Tests.FakeApiServer.FakeApiServerHarness;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class FinalizerTests
{
    [Fact]
    public async Task Delete_of_an_object_with_finalizers_sets_deletion_timestamp_bumps_generation_and_answers_the_object()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("wf", extraMetadata: "\"finalizers\":[\"example.dev/cleanup\"]");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));

        var (status, body) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/wf");
        var (getStatus, _) = await harness.GetWidgetAsync("wf");

        Assert.Equal(200, status);
        Assert.Equal("Widget", (string?)body["kind"]);
        Assert.Equal("2026-11-20T12:01:00Z", (string?)body["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, (int)body["metadata"]!["deletionGracePeriodSeconds"]!);
        Assert.Equal(2, Generation(body));
        Assert.Equal(200, getStatus);
    }

    [Fact]
    public async Task Removing_the_last_finalizer_of_a_terminating_object_deletes_it_and_answers_the_old_resource_version()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("wf", extraMetadata: "\"finalizers\":[\"example.dev/cleanup\"]");
        var (_, terminating) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/wf");

        var (status, body) = await harness.PatchAsync($"{Widgets}/wf", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        var (getStatus, _) = await harness.GetWidgetAsync("wf");

        Assert.Equal(200, status);
        Assert.Equal(Rv(terminating), Rv(body));
        Assert.Null(body["metadata"]!["finalizers"]);
        Assert.Equal(404, getStatus);
    }

    [Fact]
    public async Task A_second_delete_of_a_terminating_object_returns_it_unchanged()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("wf", extraMetadata: "\"finalizers\":[\"example.dev/cleanup\"]");
        var (_, first) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/wf");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));

        var (status, second) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/wf");

        Assert.Equal(200, status);
        Assert.Equal(Rv(first), Rv(second));
        Assert.Equal((string?)first["metadata"]!["deletionTimestamp"], (string?)second["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task No_new_finalizer_can_be_added_while_terminating()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("wf", extraMetadata: "\"finalizers\":[\"example.dev/cleanup\"]");
        await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/wf");

        var (status, error) = await harness.PatchAsync($"{Widgets}/wf", """[{"op":"add","path":"/metadata/finalizers/-","value":"example.dev/late"}]""", "application/json-patch+json");

        Assert.Equal(422, status);
        Assert.Equal("Widget", (string?)error["details"]!["kind"]);
        Assert.Contains("no new finalizers can be added if the object is being deleted", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_patch_whose_test_fails_is_the_generic_422_with_empty_details()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.CreateWidgetAsync("wf");
        var stale = long.Parse(Rv(created), System.Globalization.CultureInfo.InvariantCulture) - 1;

        var (status, error) = await harness.PatchAsync(
            $"{Widgets}/wf",
            $$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{stale}}"},{"op":"add","path":"/metadata/finalizers","value":["x.dev/f"]}]""",
            "application/json-patch+json");
        var (okStatus, patched) = await harness.PatchAsync(
            $"{Widgets}/wf",
            $$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{Rv(created)}}"},{"op":"add","path":"/metadata/finalizers","value":["x.dev/f"]}]""",
            "application/json-patch+json");

        Assert.Equal(422, status);
        Assert.Equal("the server rejected our request due to an error in our request", (string?)error["message"]);
        Assert.Equal("{}", error["details"]!.ToJsonString());
        Assert.Equal(200, okStatus);
        Assert.Equal("x.dev/f", (string?)patched["metadata"]!["finalizers"]![0]);
    }

    [Fact]
    public async Task Foreground_deletion_adds_its_finalizer_and_keeps_the_object_until_it_is_removed()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");

        var (status, body) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/w1", """{"propagationPolicy":"Foreground"}""");
        var (stillThere, _) = await harness.GetWidgetAsync("w1");

        Assert.Equal(200, status);
        Assert.Equal("foregroundDeletion", (string?)body["metadata"]!["finalizers"]![0]);
        Assert.Equal(200, stillThere);
    }

    [Fact]
    public async Task Delete_without_finalizers_answers_a_success_status_and_preconditions_are_checked()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.CreateWidgetAsync("w1");

        var (conflict, conflictBody) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/w1", """{"preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}""");
        var (status, body) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/w1", $$$"""{"preconditions":{"uid":"{{{(string?)created["metadata"]!["uid"]}}}","resourceVersion":"{{{Rv(created)}}}"}}""");

        Assert.Equal(409, conflict);
        Assert.Equal("Widget", (string?)conflictBody["details"]!["kind"]);
        Assert.Equal(200, status);
        Assert.Equal("Success", (string?)body["status"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)body["details"]!["uid"]);
    }
}
