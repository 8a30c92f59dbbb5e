using System.Text.Json;
using ConsoleOperator.Kube.Client;
using TestKit.Fixtures;
using TestKit.Replay;
using k8s;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Watch;

/// <summary>
/// Contract tests: the KubernetesClient library's watch behaviour that ResourceClient.WatchAsync relies on or makes up for,
/// on the replay server serving recorded watches. A library upgrade that changes one of them fails here first.
/// </summary>
public sealed class LibraryWatchContractTests : IAsyncLifetime
{
    private ReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_in_stream_410_without_onError_ends_the_enumeration_silently()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("12-watch-expired/01-watch-rv1-too-old-inband-410"));

        var events = await CollectAsync(Watch(client, "1", onError: null));

        Assert.Empty(events);
    }

    [Fact]
    public async Task An_in_stream_410_reaches_onError_as_a_KubernetesException_with_the_Status()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("12-watch-expired/01-watch-rv1-too-old-inband-410"));
        var errors = new List<Exception>();

        var events = await CollectAsync(Watch(client, "1", errors.Add));

        Assert.Empty(events);
        var error = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, error.Status.Code);
    }

    [Fact]
    public async Task Bookmarks_arrive_as_WatchEventType_Bookmark()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("11-watch/01-watch-timeout30"));

        var events = await CollectAsync(Watch(client, "236", onError: null));

        Assert.Equal(9, events.Count);
        Assert.Equal(WatchEventType.Bookmark, events[^1].Type);
        Assert.IsType<JsonElement>(events[0].Object);
    }

    [Fact]
    public async Task A_stalled_stream_is_never_noticed_by_the_library_alone()
    {
        using var client = Client();
        var lines = FixtureLibrary.Get("11-watch/01-watch-timeout30").Response.WatchLines.Take(2).ToList();
        _server.Enqueue(ReplayResponse.Watch(lines, WatchEnding.Stall));
        using var stop = new CancellationTokenSource();
        await using var events = Watch(client, "236", onError: null, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.True(await events.MoveNextAsync());

        // No third line ever comes and the library keeps waiting: only our idle timeout ends such a watch.
        var third = events.MoveNextAsync().AsTask();
        var waited = await Task.WhenAny(third, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));

        Assert.NotSame(third, waited);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
    }

    [Fact]
    public async Task A_watch_the_server_ends_before_any_event_fails_with_an_HttpRequestException_around_EndOfStreamException()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("11-watch/04-watch-timeout30-quiet-no-events"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => CollectAsync(Watch(client, "236", onError: null)));

        // The library peeks at the first line before its call returns; ResourceClient.WatchAsync reads exactly this as a clean end.
        Assert.IsType<EndOfStreamException>(error.InnerException);
    }

    [Fact]
    public async Task The_library_asks_for_a_watch_with_watch_true()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("11-watch/01-watch-timeout30"));

        await CollectAsync(Watch(client, "236", onError: null));

        Assert.Contains(new KeyValuePair<string, string>("watch", "true"), Assert.Single(_server.Received).Query);
    }

    private static IAsyncEnumerable<(WatchEventType Type, object Object)> Watch(KubernetesClient client, string resourceVersion, Action<Exception>? onError, CancellationToken cancellationToken = default) =>
        client.Api.CustomObjects.WatchListNamespacedCustomObjectAsync(
            "example.dev", "v1", "demo", "widgets", allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: 30, onError: onError!, cancellationToken: cancellationToken);

    private static async Task<List<(WatchEventType Type, object Object)>> CollectAsync(IAsyncEnumerable<(WatchEventType Type, object Object)> events)
    {
        var seen = new List<(WatchEventType Type, object Object)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in events.WithCancellation(timeout.Token))
        {
            seen.Add(e);
        }

        return seen;
    }

    private KubernetesClient Client() => new(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
}
