using System.Text;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Watch;
using TestKit.Fixtures;
using ConsoleOperator.Kube.Tests.KubeClient.Support;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.KubeClient.Watch;

/// <summary>Each recorded watch stream, served over HTTP and read by the client's watch, yields exactly what its notes.md describes.</summary>
public sealed class RecordedWatchStreamTests
{
    private static readonly ResourceDescriptor Widgets = new ResourceDescriptor("example.dev", "v1", "widgets", "Widget");

    [Theory]
    [InlineData("11-watch/01-watch-timeout30")]
    [InlineData("11-watch/02-watch-timeout30-chunked-wire")]
    public async Task The_30_second_watch_yields_eight_events_then_one_bookmark_then_ends_cleanly(string dir)
    {
        var events = await ReadAllAsync(dir);

        Assert.Equal(
            ["Added", "Modified", "Modified", "Modified", "Deleted", "Added", "Modified", "Deleted", "Bookmark"],
            events.Select(e => e.Type.ToString()));
        Assert.Equal(["237", "238", "239", "240", "242", "244", "245", "246", "246"], events.Select(e => e.ResourceVersion));
        Assert.Equal("w6", events[0].Object.Metadata.Name);
        // DELETE of w7 with a finalizer shows up as MODIFIED with a deletionTimestamp, then DELETED still listing it.
        Assert.NotNull(events[6].Object.Metadata.DeletionTimestamp);
        Assert.Equal(["example.dev/cleanup"], events[7].Object.Metadata.Finalizers!);
        Assert.Equal("Widget", events[8].Object.Kind);
    }

    [Fact]
    public async Task The_75_second_watch_yields_two_bookmarks_with_the_same_version()
    {
        var events = await ReadAllAsync("11-watch/03-watch-timeout75-bookmarks");

        Assert.Equal(10, events.Count);
        var bookmarks = events.Where(e => e.Type == WatchEventType.Bookmark).ToList();
        Assert.Equal(2, bookmarks.Count);
        Assert.All(bookmarks, b => Assert.Equal("246", b.ResourceVersion));
    }

    [Fact]
    public async Task A_quiet_watch_yields_nothing_and_ends_normally()
    {
        var exchange = FixtureLibrary.Get("11-watch/04-watch-timeout30-quiet-no-events");
        Assert.Empty(exchange.Response.StreamRaw!);

        Assert.Empty(await ReadAllAsync(exchange.Dir));
    }

    [Theory]
    [InlineData("11-watch/05-watch-rv0-synthetic-added")]
    [InlineData("11-watch/06-watch-no-rv-synthetic-added")]
    public async Task A_watch_without_a_version_starts_with_synthetic_added_events(string dir)
    {
        var events = await ReadAllAsync(dir);

        Assert.NotEmpty(events);
        Assert.All(events.Where(e => e.Type != WatchEventType.Bookmark), e => Assert.Equal(WatchEventType.Added, e.Type));
    }

    [Fact]
    public async Task A_field_selected_watch_yields_the_single_object()
    {
        var events = await ReadAllAsync("11-watch/07-watch-single-object-fieldSelector");

        var added = Assert.Single(events);
        Assert.Equal("w1", added.Object.Metadata.Name);
    }

    [Fact]
    public async Task Built_in_bookmarks_are_empty_typed_objects_and_may_repeat()
    {
        var exchange = FixtureLibrary.Get("11-watch/08-builtin-types-bookmarks/01-watch-deployments");
        var events = await ReadAsync(exchange, EntityJson.TypeInfo<V1Deployment>(), KnownResources.Deployment);

        var bookmarks = events.Where(e => e.Type == WatchEventType.Bookmark).ToList();
        Assert.Equal(2, bookmarks.Count);
        Assert.Equal(bookmarks[0].ResourceVersion, bookmarks[1].ResourceVersion);
        Assert.Null(bookmarks[0].Object.Spec!.Template!.Spec!.Containers);
        Assert.Equal("Deployment", bookmarks[0].Object.Kind);
    }

    [Fact]
    public async Task A_configmap_watch_reads_into_the_typed_model()
    {
        var exchange = FixtureLibrary.Get("11-watch/08-builtin-types-bookmarks/02-watch-configmaps");
        var events = await ReadAsync(exchange, EntityJson.TypeInfo<V1ConfigMap>(), KnownResources.ConfigMap);

        Assert.Contains(events, e => e.Type == WatchEventType.Added && e.Object.Metadata.Name == "cm1");
        Assert.Contains(events, e => e.Type == WatchEventType.Deleted && e.Object.Metadata.Name == "cm1");
        Assert.Contains(events, e => e.Type == WatchEventType.Bookmark);
    }

    [Theory]
    [InlineData("12-watch-expired/01-watch-rv1-too-old-inband-410", "too old resource version: 1 (196)")]
    [InlineData("12-watch-expired/03-watch-rv236-evicted-from-watch-cache-inband-410", "too old resource version: 236 (266)")]
    [InlineData("12-watch-expired/04-no-watch-cache-server/03-watch-compacted-rv-inband-410", "The resourceVersion for the provided watch is too old.")]
    [InlineData("12-watch-expired/04-no-watch-cache-server/04-watch-rv1-inband-410", "The resourceVersion for the provided watch is too old.")]
    public async Task The_in_stream_410_error_becomes_a_gone_api_exception_whatever_its_message(string dir, string message)
    {
        var exchange = FixtureLibrary.Get(dir);
        Assert.Equal(200, exchange.Status);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => ReadAllAsync(dir));

        Assert.Equal(410, error.Code);
        Assert.Equal("Expired", error.Reason);
        Assert.True(error.IsGone);
        Assert.Equal(message, error.Status.Message);
    }

    [Fact]
    public async Task A_compacted_version_still_in_the_watch_cache_replays_21_events_without_error()
    {
        var events = await ReadAllAsync("12-watch-expired/02-watch-rv204-compacted-in-etcd-but-in-watch-cache");

        Assert.Equal(21, events.Count);
        Assert.DoesNotContain(events, e => e.Type == WatchEventType.Bookmark);
        Assert.Equal("unk1", events[0].Object.Metadata.Name);
    }

    [Fact]
    public async Task An_error_event_other_than_410_is_an_api_exception_but_not_gone()
    {
        const string line = """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"internal error","reason":"InternalError","code":500}}""";

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => ReadLinesAsync(line + "\n"));

        Assert.False(error.IsGone);
        Assert.Equal(500, error.Code);
    }

    [Fact]
    public async Task An_unknown_event_type_is_a_protocol_error()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadLinesAsync("""{"type":"EXPLODED","object":{"metadata":{}}}""" + "\n"));
    }

    [Fact]
    public async Task A_truncated_last_line_is_a_protocol_error()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadLinesAsync("""{"type":"ADDED","object":{"metad"""));
    }

    private static Task<List<WatchEvent<UntypedObject>>> ReadAllAsync(string dir) =>
        ReadAsync(FixtureLibrary.Get(dir), EntityJson.TypeInfo<UntypedObject>(), Widgets);

    private static Task<List<WatchEvent<T>>> ReadAsync<T>(RecordedExchange exchange, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, ResourceDescriptor descriptor)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var body = exchange.Response.StreamRaw ?? ChunkedEncoding.Decode(exchange.Response.StreamChunked!);
        return ServedWatch.ReadAsync(ServedWatch.Lines(Encoding.UTF8.GetString(body)), typeInfo, descriptor);
    }

    private static Task<List<WatchEvent<UntypedObject>>> ReadLinesAsync(string text) =>
        ServedWatch.ReadAsync(ServedWatch.Lines(text), EntityJson.TypeInfo<UntypedObject>(), Widgets);
}
