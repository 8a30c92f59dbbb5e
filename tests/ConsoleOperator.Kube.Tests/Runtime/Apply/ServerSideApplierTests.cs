using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.Runtime.Apply;

public sealed class ServerSideApplierTests
{
    private const string HashAnnotation = "example.dev/applied-hash";

    [Fact]
    public async Task The_first_apply_is_a_forced_server_side_apply_with_the_owner_reference_and_the_hash()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.CreateWidgetAsync("w1");
        var applier = new ServerSideApplier<V1ConfigMap>(cluster.ConfigMaps, EntityJson.TypeInfo<V1ConfigMap>(), "widget-controller", HashAnnotation);
        await cluster.ClearRequestLogAsync();

        var outcome = await applier.ApplyAsync(Desired("a"), current: null, owner, CancellationToken.None);

        Assert.True(outcome.Written);
        var request = Assert.Single(await cluster.SettledRequestsAsync());
        Assert.Equal(("PATCH", "application/apply-patch+yaml"), (request.Method, request.ContentType));
        Assert.Contains("fieldManager=widget-controller", request.Query, StringComparison.Ordinal);
        Assert.Contains("force=true", request.Query, StringComparison.Ordinal);
        var reference = Assert.Single(outcome.Object.Metadata.OwnerReferences!);
        Assert.Equal((owner.Metadata.Uid, true, true), (reference.Uid, reference.Controller, reference.BlockOwnerDeletion));
        Assert.Matches("^[0-9a-f]{32}$", outcome.Object.Metadata.Annotations![HashAnnotation]);
    }

    [Fact]
    public async Task Applying_what_is_already_there_sends_nothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await cluster.CreateWidgetAsync("w1");
        var applier = new ServerSideApplier<V1ConfigMap>(cluster.ConfigMaps, EntityJson.TypeInfo<V1ConfigMap>(), "widget-controller", HashAnnotation);
        var first = await applier.ApplyAsync(Desired("a"), null, owner, CancellationToken.None);
        await cluster.ClearRequestLogAsync();

        var second = await applier.ApplyAsync(Desired("a"), first.Object, owner, CancellationToken.None);

        Assert.False(second.Written);
        Assert.Same(first.Object, second.Object);
        Assert.Empty(await cluster.SettledRequestsAsync());
    }

    [Fact]
    public async Task A_field_someone_else_changed_is_applied_back()
    {
        await using var cluster = await TestCluster.StartAsync();
        var applier = new ServerSideApplier<V1ConfigMap>(cluster.ConfigMaps, EntityJson.TypeInfo<V1ConfigMap>(), "widget-controller", HashAnnotation);
        await applier.ApplyAsync(Desired("a"), null, null, CancellationToken.None);
        var edited = await cluster.ConfigMaps.MergePatchAsync("c", System.Text.Json.Nodes.JsonNode.Parse("""{"data":{"key":"tampered","extra":"kept"}}""")!);

        var outcome = await applier.ApplyAsync(Desired("a"), edited, null, CancellationToken.None);

        Assert.True(outcome.Written);
        Assert.Equal("a", outcome.Object.Data!["key"]);
        Assert.Equal("kept", outcome.Object.Data!["extra"]);
    }

    [Fact]
    public async Task A_field_no_longer_desired_is_removed_because_the_hash_changed()
    {
        await using var cluster = await TestCluster.StartAsync();
        var applier = new ServerSideApplier<V1ConfigMap>(cluster.ConfigMaps, EntityJson.TypeInfo<V1ConfigMap>(), "widget-controller", HashAnnotation);
        var withExtra = Desired("a");
        withExtra.Data!["old"] = "x";
        var first = await applier.ApplyAsync(withExtra, null, null, CancellationToken.None);

        var outcome = await applier.ApplyAsync(Desired("a"), first.Object, null, CancellationToken.None);

        Assert.True(outcome.Written);
        Assert.False(outcome.Object.Data!.ContainsKey("old"));
        Assert.NotEqual(first.Object.Metadata.Annotations![HashAnnotation], outcome.Object.Metadata.Annotations![HashAnnotation]);
    }

    [Fact]
    public async Task A_cache_still_showing_the_version_our_identical_write_replaced_is_not_answered_with_the_same_write()
    {
        await using var cluster = await TestCluster.StartAsync();
        var applier = new ServerSideApplier<V1ConfigMap>(cluster.ConfigMaps, EntityJson.TypeInfo<V1ConfigMap>(), "widget-controller", HashAnnotation);
        var old = (await applier.ApplyAsync(Desired("old"), null, null, CancellationToken.None)).Object;
        await applier.ApplyAsync(Desired("new"), old, null, CancellationToken.None);
        await cluster.ClearRequestLogAsync();

        // The informer has not delivered our write yet: the cache still holds the old version.
        var stale = await applier.ApplyAsync(Desired("new"), old, null, CancellationToken.None);

        Assert.False(stale.Written);
        Assert.Empty(await cluster.SettledRequestsAsync());

        // Wanting something else again is still written, even against that stale version.
        Assert.True((await applier.ApplyAsync(Desired("newer"), old, null, CancellationToken.None)).Written);
    }

    [Fact]
    public void The_hash_does_not_depend_on_dictionary_order()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var applier = new ServerSideApplier<V1ConfigMap>(
            client.Resource(KnownResources.ConfigMap, EntityJson.TypeInfo<V1ConfigMap>(), "demo"),
            EntityJson.TypeInfo<V1ConfigMap>(),
            "m",
            HashAnnotation);
        var one = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo" }, Data = new Dictionary<string, string>() { ["a"] = "1", ["b"] = "2" } };
        var two = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo" }, Data = new Dictionary<string, string>() { ["b"] = "2", ["a"] = "1" } };

        applier.Prepare(one, null);
        applier.Prepare(two, null);

        Assert.Equal(one.Metadata.Annotations![HashAnnotation], two.Metadata.Annotations![HashAnnotation]);
    }

    private static V1ConfigMap Desired(string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = TestCluster.Namespace },
        Data = new Dictionary<string, string>() { ["key"] = value },
    };

    [Fact]
    public async Task A_changed_status_is_applied_to_the_status_subresource_without_bumping_the_generation()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new ServerSideApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        await cluster.ClearRequestLogAsync();

        var outcome = await applier.ApplyStatusAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);

        Assert.True(outcome.Written);
        var request = Assert.Single(await cluster.SettledRequestsAsync());
        Assert.Equal(("PATCH", "application/apply-patch+yaml"), (request.Method, request.ContentType));
        Assert.EndsWith("/widgets/w1/status", request.Path, StringComparison.Ordinal);
        Assert.Contains("force=true", request.Query, StringComparison.Ordinal);
        Assert.Equal("Ready", outcome.Object.Fields!["status"].GetProperty("phase").GetString());
        Assert.Equal(widget.Metadata.Generation, outcome.Object.Metadata.Generation);
    }

    [Fact]
    public async Task An_unchanged_status_is_not_written_even_with_another_transition_time()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new ServerSideApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        var first = await applier.ApplyStatusAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);
        await cluster.ClearRequestLogAsync();

        var again = await applier.ApplyStatusAsync(first.Object, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);
        var laterTime = await applier.ApplyStatusAsync(first.Object, Status("Ready", "2026-11-20T13:00:00Z"), CancellationToken.None);

        Assert.False(again.Written);
        Assert.False(laterTime.Written);
        Assert.Empty(await cluster.SettledRequestsAsync());
    }

    [Fact]
    public async Task A_cache_that_has_not_caught_up_with_our_identical_status_write_gets_no_second_write()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new ServerSideApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        await applier.ApplyStatusAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);
        await cluster.ClearRequestLogAsync();

        var stale = await applier.ApplyStatusAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);

        Assert.False(stale.Written);
        Assert.Empty(await cluster.SettledRequestsAsync());
    }

    [Fact]
    public async Task A_status_that_differs_in_one_field_is_written()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new ServerSideApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        var first = await applier.ApplyStatusAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);

        var changed = await applier.ApplyStatusAsync(first.Object, Status("Failed", "2026-11-20T12:00:00Z"), CancellationToken.None);

        Assert.True(changed.Written);
        Assert.Equal("Failed", changed.Object.Fields!["status"].GetProperty("phase").GetString());
    }

    private static JsonNode Status(string phase, string since) => JsonNode.Parse(
        $$"""{"phase":"{{phase}}","observedGeneration":1,"conditions":[{"type":"Ready","status":"True","reason":"Reconciled","message":"ok","lastTransitionTime":"{{since}}","observedGeneration":1}]}""")!;
}
