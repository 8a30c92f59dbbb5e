using static ConsoleOperator.Kube.Tests.FakeApiServer.FakeApiServerHarness;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task The_next_requests_can_be_failed_with_a_chosen_status()
    {
        await using var harness = await StartAsync();
        harness.Server.Faults.FailNextRequests(2, 500, "InternalError", "etcd is sad");

        var (first, firstBody) = await harness.GetWidgetAsync("missing");
        var (second, _) = await harness.GetWidgetAsync("missing");
        var (third, _) = await harness.GetWidgetAsync("missing");

        Assert.Equal(500, first);
        Assert.Equal("etcd is sad", (string?)firstBody["message"]);
        Assert.Equal("InternalError", (string?)firstBody["reason"]);
        Assert.Equal(500, second);
        Assert.Equal(404, third);
    }

    [Fact]
    public async Task A_failure_can_target_only_matching_requests()
    {
        await using var harness = await StartAsync();
        harness.Server.Faults.FailNextRequests(1, 409, "Conflict", "injected", r => r.Method == "PATCH");

        var (get, _) = await harness.GetWidgetAsync("missing");
        await harness.CreateWidgetAsync("w1");
        var (patch, _) = await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":2}}""", "application/merge-patch+json");
        var (again, _) = await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":2}}""", "application/merge-patch+json");

        Assert.Equal(404, get);
        Assert.Equal(409, patch);
        Assert.Equal(200, again);
    }

    [Fact]
    public async Task The_request_log_shows_what_was_written_so_a_second_pass_can_be_asserted_to_write_nothing()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");
        harness.Server.Requests.Clear();

        await harness.GetWidgetAsync("w1");
        await harness.PatchAsync($"{Widgets}/w1?fieldManager=op", """{"spec":{"size":3}}""", "application/merge-patch+json");

        var entries = harness.Server.Requests.Entries;
        Assert.Equal(2, entries.Count);
        var write = Assert.Single(harness.Server.Requests.Writes);
        Assert.Equal("PATCH", write.Method);
        Assert.Equal($"{Widgets}/w1", write.Path);
        Assert.Equal("fieldManager=op", write.Query);
        Assert.Equal("application/merge-patch+json", write.ContentType);
        Assert.Equal("""{"spec":{"size":3}}""", write.Body);
        Assert.Equal(200, write.Status);
        Assert.Equal("harness/1.0", write.UserAgent);
    }
}
