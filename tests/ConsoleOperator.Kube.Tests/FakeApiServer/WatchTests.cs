using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Tests.FakeApiServer.Replay;
using static ConsoleOperator.Kube.Tests.FakeApiServer.FakeApiServerHarness;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class WatchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static async Task<WatchStreamReader> WatchAsync(FakeApiServerHarness harness, string query)
    {
        var opened = harness.Server.Store.OpenWatchCount;
        var response = await harness.Http.GetAsync($"{Widgets}?watch=true&{query}", HttpCompletionOption.ResponseHeadersRead);
        var reader = new WatchStreamReader(response);
        for (var i = 0; i < 500 && harness.Server.Store.OpenWatchCount <= opened && !reader.Finished; i++)
        {
            await Task.Delay(10);
        }

        return reader;
    }

    private static List<(string Type, JsonObject Object)> Events(WatchStreamReader reader) =>
        reader.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).Select(e => ((string)e["type"]!, (JsonObject)e["object"]!)).ToList();

    private static async Task AdvanceAsync(FakeApiServerHarness harness, WatchStreamReader reader, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            // Give the stream a moment to act on the previous second (time only moves when told to).
            await Task.Delay(5);
            await reader.SettleAsync(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2));
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await reader.SettleAsync(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_watch_streams_added_modified_deleted_then_a_bookmark_two_seconds_before_the_deadline_and_ends_cleanly()
    {
        await using var harness = await StartAsync();
        var start = harness.Server.Store.Revision;
        await using var reader = await WatchAsync(harness, $"resourceVersion={start}&allowWatchBookmarks=true&timeoutSeconds=30");

        await harness.CreateWidgetAsync("w1");
        await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":2}}""", "application/merge-patch+json");
        var (_, deleted) = await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/w1");
        await reader.WaitForLinesAsync(3, Limit);
        await AdvanceAsync(harness, reader, 27);
        var beforeBookmark = reader.Lines.Count;
        await AdvanceAsync(harness, reader, 1);
        await reader.WaitForLinesAsync(4, Limit);
        var afterBookmark = reader.Lines.Count;
        await AdvanceAsync(harness, reader, 2);
        await reader.WaitForEndAsync(Limit);

        var events = Events(reader);
        Assert.Equal(["ADDED", "MODIFIED", "DELETED", "BOOKMARK"], events.Select(e => e.Type));
        Assert.Equal(3, beforeBookmark);
        Assert.Equal(4, afterBookmark);
        Assert.Equal(Rv(events[2].Object), Rv(events[3].Object));
        Assert.Equal("{\"apiVersion\":\"example.dev/v1\",\"kind\":\"Widget\",\"metadata\":{\"resourceVersion\":\"" + Rv(events[2].Object) + "\"}}", events[3].Object.ToJsonString());
        Assert.Equal("Success", (string?)deleted["status"]);
        Assert.True(reader.EndedCleanly);
    }

    [Fact]
    public async Task A_quiet_watch_gets_no_bookmark_and_an_empty_body_until_its_timeout()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");
        await using var reader = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&allowWatchBookmarks=true&timeoutSeconds=30");

        await AdvanceAsync(harness, reader, 29);
        Assert.False(reader.Finished);
        await AdvanceAsync(harness, reader, 1);
        await reader.WaitForEndAsync(Limit);

        Assert.Empty(reader.Lines);
        Assert.True(reader.EndedCleanly);
    }

    [Fact]
    public async Task A_watch_without_resource_version_starts_with_synthetic_added_events()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("b");
        await harness.CreateWidgetAsync("a");
        await using var reader = await WatchAsync(harness, "timeoutSeconds=5");

        await reader.WaitForLinesAsync(2, Limit);

        Assert.Equal(["ADDED a", "ADDED b"], Events(reader).Select(e => $"{e.Type} {e.Object["metadata"]!["name"]}"));
    }

    [Fact]
    public async Task A_label_selector_turns_matching_changes_into_added_and_deleted()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");
        await using var reader = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&labelSelector=tier%3Dgold&timeoutSeconds=60");

        await harness.PatchAsync($"{Widgets}/w1", """{"metadata":{"labels":{"tier":"gold"}}}""", "application/merge-patch+json");
        await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":4}}""", "application/merge-patch+json");
        var (_, lastRv) = await harness.PatchAsync($"{Widgets}/w1", """{"metadata":{"labels":{"tier":"silver"}}}""", "application/merge-patch+json");
        await reader.WaitForLinesAsync(3, Limit);

        var events = Events(reader);
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e.Type));
        Assert.Equal("gold", (string?)events[2].Object["metadata"]!["labels"]!["tier"]);
        Assert.Equal(Rv(lastRv), Rv(events[2].Object));
    }

    [Fact]
    public async Task A_too_old_resource_version_is_an_in_stream_410_with_the_recorded_shape()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");
        var compactedAt = harness.Server.Faults.CompactHistory();

        await using var reader = await WatchAsync(harness, "resourceVersion=1&timeoutSeconds=30");
        await reader.WaitForEndAsync(Limit);

        Assert.Equal(200, reader.StatusCode);
        Assert.True(reader.EndedCleanly);
        var line = Assert.Single(reader.Lines);
        Assert.Equal(
            $"{{\"type\":\"ERROR\",\"object\":{{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{{}},\"status\":\"Failure\",\"message\":\"too old resource version: 1 ({compactedAt})\",\"reason\":\"Expired\",\"code\":410}}}}",
            line);
    }

    [Fact]
    public async Task Compaction_expires_a_watch_from_an_earlier_list()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");
        var (_, list) = await harness.SendAsync(HttpMethod.Get, Widgets);
        harness.Server.Faults.CompactHistory();

        await using var reader = await WatchAsync(harness, $"resourceVersion={Rv(list)}&timeoutSeconds=30");
        await reader.WaitForEndAsync(Limit);

        Assert.Equal(410, (int)JsonNode.Parse(Assert.Single(reader.Lines))!["object"]!["code"]!);
    }

    [Fact]
    public async Task An_injected_expiry_answers_the_next_watch_only()
    {
        await using var harness = await StartAsync();
        harness.Server.Faults.ExpireNextWatches(1);

        await using var expired = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=30");
        await expired.WaitForEndAsync(Limit);
        await using var healthy = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=30");
        await harness.CreateWidgetAsync("w1");
        await healthy.WaitForLinesAsync(1, Limit);

        Assert.Equal("ERROR", (string?)JsonNode.Parse(Assert.Single(expired.Lines))!["type"]);
        Assert.Equal("ADDED", (string?)JsonNode.Parse(Assert.Single(healthy.Lines))!["type"]);
    }

    [Fact]
    public async Task Dropping_watch_connections_ends_streams_without_a_clean_end()
    {
        await using var harness = await StartAsync();
        await using var reader = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=300");

        var dropped = harness.Server.Faults.DropWatchConnections();
        await reader.WaitForEndAsync(Limit);

        Assert.Equal(1, dropped);
        Assert.True(reader.Finished);
        Assert.False(reader.EndedCleanly);
        Assert.NotNull(reader.Failure);
    }

    [Fact]
    public async Task A_stalled_watch_stays_open_and_silent_even_past_its_timeout()
    {
        await using var harness = await StartAsync();
        await using var reader = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=5");

        Assert.Equal(1, harness.Server.Faults.StallWatchConnections());
        await harness.CreateWidgetAsync("w1");
        await AdvanceAsync(harness, reader, 10);

        Assert.Empty(reader.Lines);
        Assert.False(reader.Finished);
    }

    [Fact]
    public async Task Bookmarks_can_be_requested_on_demand()
    {
        await using var harness = await StartAsync();
        await using var withBookmarks = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&allowWatchBookmarks=true&timeoutSeconds=300");
        await using var without = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=300");

        harness.Server.Faults.SendBookmarksNow();
        await withBookmarks.WaitForLinesAsync(1, Limit);
        await without.SettleAsync(TimeSpan.FromMilliseconds(100), Limit);

        Assert.Equal("BOOKMARK", (string?)JsonNode.Parse(Assert.Single(withBookmarks.Lines))!["type"]);
        Assert.Empty(without.Lines);
    }

    [Fact]
    public async Task A_watch_replays_the_events_after_its_resource_version()
    {
        await using var harness = await StartAsync();
        var (_, first) = await harness.CreateWidgetAsync("w1");
        await harness.CreateWidgetAsync("w2");
        await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/w1");

        await using var reader = await WatchAsync(harness, $"resourceVersion={Rv(first)}&timeoutSeconds=30");
        await reader.WaitForLinesAsync(2, Limit);

        Assert.Equal(["ADDED w2", "DELETED w1"], Events(reader).Select(e => $"{e.Type} {e.Object["metadata"]!["name"]}"));
    }

    [Fact]
    public async Task A_namespaced_watch_sees_only_its_namespace()
    {
        await using var harness = await StartAsync();
        await using var reader = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=60");

        await harness.SendAsync(HttpMethod.Post, "/apis/example.dev/v1/namespaces/default/widgets", WidgetJson("elsewhere"));
        await harness.CreateWidgetAsync("here");
        await reader.WaitForLinesAsync(1, Limit);
        await reader.SettleAsync(TimeSpan.FromMilliseconds(100), Limit);

        Assert.Equal(["ADDED here"], Events(reader).Select(e => $"{e.Type} {e.Object["metadata"]!["name"]}"));
    }

    [Fact]
    public async Task Expiring_all_watches_answers_every_new_watch_with_410_until_switched_off()
    {
        await using var harness = await StartAsync();
        harness.Server.Faults.ExpireAllWatches(true);

        await using var first = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=30");
        await using var second = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=30");
        await first.WaitForEndAsync(Limit);
        await second.WaitForEndAsync(Limit);
        harness.Server.Faults.ExpireAllWatches(false);
        await using var third = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=30");

        Assert.Equal("ERROR", (string?)JsonNode.Parse(Assert.Single(first.Lines))!["type"]);
        Assert.Equal("ERROR", (string?)JsonNode.Parse(Assert.Single(second.Lines))!["type"]);
        Assert.False(third.Finished);
        Assert.Equal(1, harness.Server.Store.OpenWatchCount);
    }

    [Fact]
    public async Task A_client_leaving_a_stalled_watch_releases_it_on_the_server()
    {
        await using var harness = await StartAsync();
        var reader = await WatchAsync(harness, $"resourceVersion={harness.Server.Store.Revision}&timeoutSeconds=30");
        harness.Server.Faults.StallWatchConnections();

        await reader.DisposeAsync();
        for (var i = 0; i < 500 && harness.Server.Store.OpenWatchCount > 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, harness.Server.Store.OpenWatchCount);
    }
}
