using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;
using TestKit.Polling;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.Runtime.Events;

public sealed class EventRecorderTests
{
    private const string Controller = "example.dev/widget-controller";

    private const string Instance = "widget-controller-0";

    [Fact]
    public async Task An_event_is_written_as_an_events_k8s_io_v1_event_about_its_object()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var recorder = new EventRecorder(Events(cluster), Controller, Instance);
        await using var running = Run(recorder);

        recorder.Record(widget, EventTypes.Normal, "Reconciled", "Reconcile", "all good");

        await Poll.UntilAsync(() => recorder.Written == 1, "the event is written");
        var written = Assert.Single((await Events(cluster).InNamespace(TestCluster.Namespace).ListAsync()).Items);
        Assert.Equal(("Normal", "Reconciled", "Reconcile", "all good"), (written.Type, written.Reason, written.Action, written.Note));
        Assert.Equal(("example.dev/widget-controller", "widget-controller-0"), (written.ReportingController, written.ReportingInstance));
        Assert.Equal(("Widget", "w1", widget.Metadata.Uid, "example.dev/v1"), (written.Regarding!.Kind, written.Regarding.Name, written.Regarding.Uid, written.Regarding.ApiVersion));
        Assert.StartsWith("w1.", written.Metadata.Name, StringComparison.Ordinal);
        Assert.Null(written.Series);
        var post = (await cluster.SettledRequestsAsync()).Single(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal));
        Assert.Matches("\"eventTime\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\"", post.Body!);
    }

    [Fact]
    public async Task Repeats_are_folded_into_one_event_whose_series_counts_them()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var recorder = new EventRecorder(Events(cluster), Controller, Instance);
        await using var running = Run(recorder);

        for (var i = 0; i < 3; i++)
        {
            recorder.Record(widget, EventTypes.Warning, "BackendDown", "Reconcile", "the backend is down");
        }

        recorder.Record(widget, EventTypes.Warning, "BackendDown", "Reconcile", "another note is another event");
        await Poll.UntilAsync(() => recorder.Written == 4, "every occurrence is written");

        var events = (await Events(cluster).InNamespace(TestCluster.Namespace).ListAsync()).Items;
        Assert.Equal(2, events.Count);
        var repeated = events.Single(e => e.Note == "the backend is down");
        Assert.Equal(3, repeated.Series!.Count);
        Assert.NotEqual(default, repeated.Series.LastObservedTime);
        var writes = (await cluster.SettledRequestsAsync()).Where(r => r.Path.Contains("/events", StringComparison.Ordinal) && r.IsWrite).ToList();
        Assert.Equal(2, writes.Count(r => r.Method == "POST"));
        Assert.Equal(2, writes.Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public async Task Too_many_events_about_one_object_are_suppressed_while_other_objects_still_get_theirs()
    {
        await using var cluster = await TestCluster.StartAsync();
        var noisy = await cluster.CreateWidgetAsync("noisy");
        var quiet = await cluster.CreateWidgetAsync("quiet");
        var recorder = new EventRecorder(Events(cluster), Controller, Instance, burstPerObject: 2);
        await using var running = Run(recorder);

        for (var i = 0; i < 5; i++)
        {
            recorder.Record(noisy, EventTypes.Normal, "Step", "Reconcile", $"step {i}");
        }

        recorder.Record(quiet, EventTypes.Normal, "Step", "Reconcile", "one");

        await Poll.UntilAsync(() => recorder.Written + recorder.Suppressed == 6, "every event is handled");
        Assert.Equal(3, recorder.Written);
        Assert.Equal(3, recorder.Suppressed);
    }

    [Fact]
    public async Task A_refused_event_is_logged_and_dropped_and_the_next_one_still_goes_out()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var recorder = new EventRecorder(Events(cluster), Controller, Instance);
        cluster.Server.Faults.FailNextRequests(1, 500, "InternalError", "etcd is down", r => r.Path.Contains("/events", StringComparison.Ordinal));
        await using var running = Run(recorder);

        recorder.Record(widget, EventTypes.Normal, "First", "Reconcile", "lost");
        recorder.Record(widget, EventTypes.Normal, "Second", "Reconcile", "kept");

        await Poll.UntilAsync(() => recorder.Failed == 1 && recorder.Written == 1, "one failure and one write");
        Assert.Equal("Second", Assert.Single((await Events(cluster).InNamespace(TestCluster.Namespace).ListAsync()).Items).Reason);
    }

    [Fact]
    public void Recording_never_throws_and_never_blocks_even_when_full_or_given_nonsense()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var recorder = new EventRecorder(client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>()), Controller, Instance, capacity: 1);
        var widget = new UntypedObject { ApiVersion = "example.dev/v1", Kind = "Widget", Metadata = new V1ObjectMeta { Name = "w1", NamespaceProperty = "demo" } };

        recorder.Record(widget, EventTypes.Normal, "One", "Reconcile", "fits");
        recorder.Record(widget, EventTypes.Normal, "Two", "Reconcile", "channel full");
        recorder.Record(widget, "Info", "Three", "Reconcile", "bad type");
        recorder.Record(new UntypedObject(), EventTypes.Normal, "Four", "Reconcile", "no kind or name");

        Assert.Equal(3, recorder.Dropped);
    }

    [Theory]
    [InlineData("example.dev/widget-controller", "", 1, 1)]
    [InlineData("example.dev/widget-controller", "widget-controller-0", 0, 1)]
    [InlineData("example.dev/widget-controller", "widget-controller-0", 1, 0)]
    public void Settings_that_cannot_work_are_refused(string controller, string instance, int capacity, int burst)
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var events = client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>());

        Assert.ThrowsAny<ArgumentException>(() => new EventRecorder(events, controller, instance, capacity: capacity, burstPerObject: burst));
        Assert.ThrowsAny<ArgumentException>(() => new EventRecorder(events, new string('x', 129), Instance));
    }

    [Fact]
    public async Task A_long_note_is_cut_to_the_servers_limit()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var recorder = new EventRecorder(Events(cluster), Controller, Instance);
        await using var running = Run(recorder);

        recorder.Record(widget, EventTypes.Normal, "Long", "Reconcile", new string('é', 2000));

        await Poll.UntilAsync(() => recorder.Written == 1, "the event is written");
        var note = Assert.Single((await Events(cluster).InNamespace(TestCluster.Namespace).ListAsync()).Items).Note!;
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(note) <= 1024);
        Assert.EndsWith("...", note, StringComparison.Ordinal);
    }

    private static ResourceClient<Eventsv1Event> Events(TestCluster cluster) => cluster.Client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>());

    private static AsyncStopper Run(EventRecorder recorder)
    {
        var stopper = new AsyncStopper();
        stopper.Task = Task.Run(() => recorder.RunAsync(stopper.Token));
        return stopper;
    }
}
