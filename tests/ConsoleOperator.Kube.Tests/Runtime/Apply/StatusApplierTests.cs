using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;

namespace ConsoleOperator.Kube.Tests.Runtime.Apply;

public sealed class StatusApplierTests
{
    [Fact]
    public async Task A_changed_status_is_applied_to_the_status_subresource_without_bumping_the_generation()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new StatusApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        await cluster.ClearRequestLogAsync();

        var outcome = await applier.ApplyAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);

        Assert.True(outcome.Written);
        var request = Assert.Single(await cluster.SettledRequestsAsync());
        Assert.Equal(("PATCH", "application/apply-patch+yaml"), (request.Method, request.ContentType));
        Assert.EndsWith("/widgets/w1/status", request.Path, StringComparison.Ordinal);
        Assert.Contains("force=true", request.Query, StringComparison.Ordinal);
        Assert.Equal("Ready", outcome.Object.Field("status")!.Value.GetProperty("phase").GetString());
        Assert.Equal(widget.Metadata.Generation, outcome.Object.Metadata.Generation);
    }

    [Fact]
    public async Task An_unchanged_status_is_not_written_even_with_another_transition_time()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new StatusApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        var first = await applier.ApplyAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);
        await cluster.ClearRequestLogAsync();

        var again = await applier.ApplyAsync(first.Object, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);
        var laterTime = await applier.ApplyAsync(first.Object, Status("Ready", "2026-11-20T13:00:00Z"), CancellationToken.None);

        Assert.False(again.Written);
        Assert.False(laterTime.Written);
        Assert.Empty(await cluster.SettledRequestsAsync());
    }

    [Fact]
    public async Task A_cache_that_has_not_caught_up_with_our_identical_status_write_gets_no_second_write()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new StatusApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        await applier.ApplyAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);
        await cluster.ClearRequestLogAsync();

        var stale = await applier.ApplyAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);

        Assert.False(stale.Written);
        Assert.Empty(await cluster.SettledRequestsAsync());
    }

    [Fact]
    public async Task A_status_that_differs_in_one_field_is_written()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        var applier = new StatusApplier<UntypedObject>(cluster.Widgets, EntityJson.TypeInfo<UntypedObject>(), "widget-controller");
        var first = await applier.ApplyAsync(widget, Status("Ready", "2026-11-20T12:00:00Z"), CancellationToken.None);

        var changed = await applier.ApplyAsync(first.Object, Status("Failed", "2026-11-20T12:00:00Z"), CancellationToken.None);

        Assert.True(changed.Written);
        Assert.Equal("Failed", changed.Object.Field("status")!.Value.GetProperty("phase").GetString());
    }

    private static JsonNode Status(string phase, string since) => JsonNode.Parse(
        $$"""{"phase":"{{phase}}","observedGeneration":1,"conditions":[{"type":"Ready","status":"True","reason":"Reconciled","message":"ok","lastTransitionTime":"{{since}}","observedGeneration":1}]}""")!;
}
