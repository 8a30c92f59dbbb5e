using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime.Informers;
using TestKit.Polling;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

public sealed class WatchScenarioTests
{
    private static readonly InformerOptions Fast = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task The_first_list_is_delivered_as_initial_adds_before_the_informer_reports_synced()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("a");
        await cluster.CreateWidgetAsync("b");
        var (informer, handler, run, stop) = Start(cluster, Fast);
        await using var stopper = stop;

        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(["added a initial", "added b initial"], handler.Changes.Order());
        Assert.Equal(2, informer.Cache.Count);
        Assert.False(run.IsCompleted);
        var listedAt = informer.LastSyncResourceVersion;
        await Poll.UntilAsync(() => cluster.Server.Store.OpenWatchCount == 1, "the watch is open");

        // The request log records a watch when it ends: stop the informer to see it.
        await stop.DisposeAsync();
        await Poll.UntilAsync(() => cluster.Server.Requests.Entries.Any(r => r.IsWatch), "the server logs the ended watch");
        var list = Assert.Single(cluster.Server.Requests.Entries, r => r.Method == "GET" && !r.IsWatch && r.Path.EndsWith("/widgets", StringComparison.Ordinal));
        Assert.Contains("limit=500", list.Query, StringComparison.Ordinal);
        var watch = Assert.Single(cluster.Server.Requests.Entries, r => r.IsWatch);
        Assert.Contains("allowWatchBookmarks=true", watch.Query, StringComparison.Ordinal);
        Assert.Contains($"resourceVersion={listedAt}&", watch.Query, StringComparison.Ordinal);
        var timeout = int.Parse(System.Web.HttpUtility.ParseQueryString(watch.Query)["timeoutSeconds"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timeout, 300, 600);
    }

    [Fact]
    public async Task A_dropped_watch_reconnects_from_the_last_resource_version_and_keeps_delivering()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (informer, handler, _, stop) = Start(cluster, Fast);
        await using var stopper = stop;
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        await cluster.CreateWidgetAsync("before");
        await Poll.UntilAsync(() => handler.Saw("added before"), "the watch delivers");
        var resumeFrom = informer.LastSyncResourceVersion;

        await Poll.UntilAsync(() => cluster.Server.Faults.DropWatchConnections() > 0, "a watch to drop");
        await cluster.CreateWidgetAsync("after");

        await Poll.UntilAsync(() => handler.Saw("added after"), "the reconnected watch delivers");
        Assert.Equal(1, informer.ListCount);
        Assert.NotNull(informer.Cache.Get(TestCluster.Namespace, "after"));
        await stop.DisposeAsync();
        await Poll.UntilAsync(
            () => cluster.Server.Requests.Entries.Any(r => r.IsWatch && r.Query.Contains($"resourceVersion={resumeFrom}&", StringComparison.Ordinal)),
            $"the server logs a watch resumed from {resumeFrom}: {string.Join(", ", cluster.Server.Requests.Entries)}");
    }

    [Fact]
    public async Task A_stalled_watch_is_abandoned_after_the_idle_timeout_and_resumed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (informer, handler, _, stop) = Start(cluster, Fast with { WatchIdleTimeout = TimeSpan.FromMilliseconds(700) });
        await using var stopper = stop;
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        await Poll.UntilAsync(() => cluster.Server.Faults.StallWatchConnections() > 0, "a watch to stall");
        await cluster.CreateWidgetAsync("during-stall");

        await Poll.UntilAsync(() => handler.Saw("added during-stall"), "a new watch delivers what the stalled one held back");
        Assert.Equal(1, informer.ListCount);
        await stop.DisposeAsync();
        await Poll.UntilAsync(() => cluster.Server.Requests.Entries.Count(r => r.IsWatch) >= 2, "the server logs the stalled and the new watch");
    }

    [Fact]
    public async Task A_watch_the_server_ends_cleanly_is_resumed_at_once_without_a_relist()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (informer, handler, _, stop) = Start(cluster, Fast with { MinWatchTimeout = TimeSpan.FromSeconds(1), MaxWatchTimeout = TimeSpan.FromSeconds(1) });
        await using var stopper = stop;
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        await Poll.UntilAsync(() => cluster.Server.Requests.Entries.Count(r => r.IsWatch) >= 3, "two clean ends and re-watches");
        await cluster.CreateWidgetAsync("later");

        await Poll.UntilAsync(() => handler.Saw("added later"), "the resumed watch delivers");
        Assert.Equal(1, informer.ListCount);
        Assert.All(cluster.Server.Requests.Entries.Where(r => r.IsWatch), r => Assert.Contains("timeoutSeconds=1&", r.Query + "&", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bookmark_moves_the_resume_point_forward()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (informer, _, _, stop) = Start(cluster, Fast with { LabelSelector = "team=a" });
        await using var stopper = stop;
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        var listed = informer.LastSyncResourceVersion;

        // Changes the informer does not see (other labels) move the server's resourceVersion; a bookmark tells it so.
        await cluster.CreateWidgetAsync("unseen");
        await Poll.UntilAsync(
            () =>
            {
                cluster.Server.Faults.SendBookmarksNow();
                return informer.LastSyncResourceVersion != listed;
            },
            "a bookmark arrives");

        Assert.True(long.Parse(informer.LastSyncResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(listed!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, informer.Cache.Count);
    }

    [Fact]
    public async Task A_410_relists_and_synthesizes_deletes_for_objects_that_vanished_unseen()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("stays");
        await cluster.CreateWidgetAsync("vanishes");
        var (informer, handler, _, stop) = Start(cluster, Fast with { WatchIdleTimeout = TimeSpan.FromMilliseconds(700) });
        await using var stopper = stop;
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        // The watch goes silent, the object is deleted meanwhile, and the resume point has been compacted away.
        await Poll.UntilAsync(() => cluster.Server.Faults.StallWatchConnections() > 0, "a watch to stall");
        await cluster.Widgets.DeleteAsync("vanishes");
        await cluster.CreateWidgetAsync("appears");
        cluster.Server.Faults.CompactHistory();

        await Poll.UntilAsync(() => handler.Saw("deleted vanishes unknown"), "the relist reports the missed delete");
        Assert.Equal(2, informer.ListCount);
        Assert.Contains("added appears", handler.Changes);
        Assert.Contains("resynced stays", handler.Changes);
        Assert.Null(informer.Cache.Get(TestCluster.Namespace, "vanishes"));
        Assert.NotNull(informer.Cache.Get(TestCluster.Namespace, "stays"));

        // And it watches again from the new list.
        await cluster.CreateWidgetAsync("after-relist");
        await Poll.UntilAsync(() => handler.Saw("added after-relist"), "the new watch delivers");
    }

    [Fact]
    public async Task An_in_stream_410_on_every_watch_keeps_relisting_with_backoff_instead_of_spinning()
    {
        await using var cluster = await TestCluster.StartAsync();
        var (informer, _, _, stop) = Start(cluster, Fast);
        await using var stopper = stop;
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        await Poll.UntilAsync(() => cluster.Server.Store.OpenWatchCount == 1, "the watch is open");
        cluster.Server.Faults.ExpireAllWatches(true);
        Assert.Equal(1, cluster.Server.Faults.DropWatchConnections());
        await Task.Delay(TimeSpan.FromSeconds(1));
        var lists = informer.ListCount;

        // 50 ms doubling to 200 ms: a handful of relists per second, not thousands.
        Assert.InRange(lists, 2, 20);
        cluster.Server.Faults.ExpireAllWatches(false);
        await cluster.CreateWidgetAsync("after-recovery");
        await Poll.UntilAsync(() => informer.Cache.Get(TestCluster.Namespace, "after-recovery") is not null, "the informer recovers");
    }

    [Fact]
    public async Task A_handler_added_after_the_start_first_gets_the_cached_objects()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("a");
        var (informer, _, _, stop) = Start(cluster, Fast);
        await using var stopper = stop;
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var late = new RecordingHandler<UntypedObject>();
        informer.AddEventHandler(late.Handler);
        await cluster.CreateWidgetAsync("b");

        await Poll.UntilAsync(() => late.Saw("added b") || late.Saw("added b initial"), "the late handler hears of b");
        // The replay of the cache comes first. b may already be cached when it runs (then it is part of the replay, in
        // the cache's order, which is not a's-then-b's): so a must be in the replay and no live event may precede it.
        var changes = late.Changes.ToList();
        Assert.Contains("added a initial", changes);
        var lastInitial = changes.FindLastIndex(change => change.EndsWith(" initial", StringComparison.Ordinal));
        Assert.All(changes.Take(lastInitial + 1), change => Assert.EndsWith(" initial", change, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_handler_neither_stops_the_informer_nor_starves_the_other_handlers()
    {
        await using var cluster = await TestCluster.StartAsync();
        var informer = new Informer<UntypedObject>(cluster.Client.Resource(TestCluster.WidgetResource, EntityJson.TypeInfo<UntypedObject>(), TestCluster.Namespace), Fast);
        informer.AddEventHandler(new ResourceEventHandler<UntypedObject> { Added = (_, _) => throw new InvalidOperationException("a buggy handler") });
        var healthy = new RecordingHandler<UntypedObject>();
        informer.AddEventHandler(healthy.Handler);
        await using var stopper = new AsyncStopper();
        stopper.Task = Task.Run(() => informer.RunAsync(stopper.Token));
        Assert.True(await informer.WaitForSyncAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        await cluster.CreateWidgetAsync("a");
        await cluster.CreateWidgetAsync("b");

        await Poll.UntilAsync(() => healthy.Saw("added a") && healthy.Saw("added b"), "the healthy handler hears of both");
    }

    [Fact]
    public async Task Waiting_for_a_sync_that_cannot_happen_gives_up_after_the_timeout()
    {
        await using var cluster = await TestCluster.StartAsync();
        var informer = new Informer<UntypedObject>(cluster.Client.Resource(TestCluster.WidgetResource, EntityJson.TypeInfo<UntypedObject>(), TestCluster.Namespace), Fast);
        cluster.Server.Faults.FailNextRequests(1000, 403, "Forbidden", "widgets is forbidden", r => r.Path.Contains("/widgets", StringComparison.Ordinal));
        await using var stopper = new AsyncStopper();
        stopper.Task = Task.Run(() => informer.RunAsync(stopper.Token));

        Assert.False(await informer.WaitForSyncAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
        Assert.False(informer.HasSynced);
    }

    private static (Informer<UntypedObject> Informer, RecordingHandler<UntypedObject> Handler, Task Run, AsyncStopper Stop) Start(TestCluster cluster, InformerOptions options)
    {
        var informer = new Informer<UntypedObject>(cluster.Client.Resource(TestCluster.WidgetResource, EntityJson.TypeInfo<UntypedObject>(), TestCluster.Namespace), options);
        var handler = new RecordingHandler<UntypedObject>();
        informer.AddEventHandler(handler.Handler);
        var stop = new AsyncStopper();
        var run = Task.Run(() => informer.RunAsync(stop.Token));
        stop.Task = run;
        return (informer, handler, run, stop);
    }
}
