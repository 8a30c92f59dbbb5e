using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Finalizers;
using Microsoft.Extensions.Logging;
using TestKit.Polling;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

public sealed class ReconcileScenarioTests
{
    private static readonly ObjectKey W1 = new(TestCluster.Namespace, "w1");

    [Fact]
    public async Task A_controller_without_workers_or_time_to_sync_is_refused()
    {
        await using var cluster = await TestCluster.StartAsync();

        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new WidgetOperator(cluster, cluster.Client, workers: 0));
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new WidgetOperator(cluster, cluster.Client, cacheSyncTimeout: TimeSpan.Zero));
    }

    [Fact]
    public async Task A_widget_converges_and_a_second_pass_writes_nothing()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1", size: 3);
        await using var op = new WidgetOperator(cluster, cluster.Client).Start();

        await Poll.UntilAsync(() => IsConvergedAsync(cluster, "w1"), "w1 is reconciled");
        var widget = await cluster.Widgets.GetAsync("w1");
        Assert.Equal([WidgetController.Finalizer], widget.Metadata.Finalizers!);
        var status = widget.Fields!["status"];
        Assert.Equal(widget.Metadata.Generation, status.GetProperty("observedGeneration").GetInt64());
        var ready = status.GetProperty("conditions")[0];
        Assert.Equal("Ready", ready.GetProperty("type").GetString());
        Assert.Equal("True", ready.GetProperty("status").GetString());

        var config = await cluster.ConfigMaps.GetAsync("w1-config");
        Assert.Equal("3", config.Data!["size"]);
        var owner = Assert.Single(config.Metadata.OwnerReferences!);
        Assert.Equal(("example.dev/v1", "Widget", "w1", widget.Metadata.Uid, true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));

        // Every write went out as a patch: JSON patch for the finalizer, server-side apply for the rest; never a PUT.
        await cluster.SettleRequestLogAsync();
        var writes = cluster.Writes();
        Assert.DoesNotContain(writes, w => w.Method == "PUT");
        Assert.Contains(writes, w => w.ContentType == "application/json-patch+json" && w.Body!.Contains("\"op\":\"test\"", StringComparison.Ordinal));
        Assert.All(
            writes.Where(w => w.ContentType == "application/apply-patch+yaml"),
            w => Assert.Contains("fieldManager=widget-controller", w.Query, StringComparison.Ordinal));
        Assert.All(writes.Where(w => w.ContentType == "application/apply-patch+yaml"), w => Assert.Contains("force=true", w.Query, StringComparison.Ordinal));

        // Let the echoes of our own writes settle, then force one more pass: it must find nothing to do.
        await WaitForQuietAsync(op);
        await cluster.ClearRequestLogAsync();
        var before = op.Reconciler.Reconciles;
        var successes = await op.CounterAsync("controller_runtime_reconcile_total", ("controller", "widgets"), ("result", "success"));
        op.Controller.Enqueue(W1);
        await Poll.UntilAsync(async () => op.Reconciler.Reconciles > before && await op.CounterAsync("controller_runtime_reconcile_total", ("controller", "widgets"), ("result", "success")) > successes, "the second pass ran");
        await WaitForQuietAsync(op);
        await cluster.SettleRequestLogAsync();
        Assert.Empty(cluster.Writes());
    }

    [Fact]
    public async Task A_spec_change_is_reconciled_and_only_what_changed_is_written()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1", size: 1);
        await using var op = new WidgetOperator(cluster, cluster.Client).Start();
        await Poll.UntilAsync(() => IsConvergedAsync(cluster, "w1"), "w1 is reconciled");
        await WaitForQuietAsync(op);
        await cluster.ClearRequestLogAsync();

        await cluster.Widgets.MergePatchAsync("w1", JsonNodeOf("{\"spec\":{\"size\":5}}"));

        await Poll.UntilAsync(async () => (await cluster.ConfigMaps.GetAsync("w1-config")).Data!["size"] == "5", "the ConfigMap follows the spec");
        await Poll.UntilAsync(() => IsConvergedAsync(cluster, "w1"), "the status observes generation 2");
        await WaitForQuietAsync(op);
        await cluster.SettleRequestLogAsync();
        var writes = cluster.Writes().Where(w => w.Method == "PATCH" && !w.Query.Contains("watch", StringComparison.Ordinal)).Select(w => w.Path).ToList();
        // Our own merge patch, one apply of the ConfigMap, one apply of the status: no finalizer patch, nothing twice.
        Assert.True(writes.Count == 3, string.Join(", ", cluster.Writes().Select(w => $"{w} {w.Body}")));
        Assert.Single(writes, p => p.EndsWith("/configmaps/w1-config", StringComparison.Ordinal));
        Assert.Single(writes, p => p.EndsWith("/widgets/w1/status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_conflict_is_requeued_quietly_and_counted_as_a_requeue_not_an_error()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client);
        cluster.Server.Faults.FailNextRequests(1, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"w1-config\": the object has been modified", r => r.Method == "PATCH" && r.Path.Contains("/configmaps/", StringComparison.Ordinal));
        op.Start();

        await Poll.UntilAsync(() => IsConvergedAsync(cluster, "w1"), "w1 is reconciled after the conflict");
        Assert.Equal(1, await op.CounterAsync("controller_runtime_reconcile_total", ("controller", "widgets"), ("result", "requeue")));
        Assert.Equal(0, await op.CounterAsync("controller_runtime_reconcile_errors_total", ("controller", "widgets")));
        Assert.DoesNotContain(op.Logs.AtLeast(LogLevel.Warning), e => e.Category.Contains("Controllers", StringComparison.Ordinal));
        Assert.Contains(op.Logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("conflict", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_widget_deleted_mid_reconcile_ends_quietly_without_an_error_or_a_retry()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client);
        var deleted = 0;

        // The first pass got w1 with the runtime's finalizer on; removing it and deleting w1 now makes the controller's
        // status write a real 404.
        op.Reconciler.AfterCacheRead = async (widget, cancellationToken) =>
        {
            if (Interlocked.Exchange(ref deleted, 1) == 0)
            {
                await FinalizerPatcher.RemoveAsync(cluster.Widgets, widget, WidgetController.Finalizer, cancellationToken);
                await cluster.Widgets.DeleteAsync(widget.Metadata.Name!, cancellationToken: cancellationToken);
            }
        };
        op.Start();

        await Poll.UntilAsync(() => op.Logs.Entries.Any(e => e.Level == LogLevel.Debug && e.Message.Contains("is gone (404)", StringComparison.Ordinal)), "the reconcile met the 404");
        await WaitForQuietAsync(op);
        await cluster.SettleRequestLogAsync();
        Assert.Contains(await cluster.SettledRequestsAsync(), r => r.Method == "PATCH" && r.Path.EndsWith("/widgets/w1/status", StringComparison.Ordinal) && r.Status == 404);
        Assert.Equal(0, await op.CounterAsync("controller_runtime_reconcile_errors_total", ("controller", "widgets")));
        Assert.Equal(0, await op.CounterAsync("controller_runtime_reconcile_total", ("controller", "widgets"), ("result", "error")));
        Assert.Equal(0, await op.CounterAsync("workqueue_retries_total", ("name", "widgets")));
        Assert.DoesNotContain(op.Logs.AtLeast(LogLevel.Warning), e => e.Category.Contains("Controllers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_reconcile_is_logged_counted_and_retried_with_backoff_until_it_succeeds()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client);
        var failures = 2;
        op.Reconciler.BeforeReconcile = (_, _) => Interlocked.Decrement(ref failures) >= 0 ? throw new InvalidOperationException("the backend is down") : Task.CompletedTask;
        op.Start();

        await Poll.UntilAsync(() => IsConvergedAsync(cluster, "w1"), "w1 is reconciled after two failures");
        await WaitForQuietAsync(op);
        Assert.Equal(2, await op.CounterAsync("controller_runtime_reconcile_errors_total", ("controller", "widgets")));
        Assert.Equal(2, await op.CounterAsync("controller_runtime_reconcile_total", ("controller", "widgets"), ("result", "error")));
        Assert.True(await op.CounterAsync("controller_runtime_reconcile_total", ("controller", "widgets"), ("result", "success")) >= 1);
        Assert.True(await op.CounterAsync("workqueue_retries_total", ("name", "widgets")) >= 2);
        Assert.True(await op.CounterAsync("workqueue_adds_total", ("name", "widgets")) >= 3);
        Assert.True(await op.CounterAsync("controller_runtime_reconcile_time_seconds_count", ("controller", "widgets")) >= 3);
        var errors = op.Logs.AtLeast(LogLevel.Error);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.IsType<InvalidOperationException>(e.Exception));
    }

    [Fact]
    public async Task A_requeue_after_brings_the_key_back_by_itself_and_is_counted_as_such()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client);
        op.Reconciler.Result = ReconcileResult.RequeueAfter(TimeSpan.FromMilliseconds(100));
        op.Start();
        await Poll.UntilAsync(() => IsConvergedAsync(cluster, "w1"), "w1 is reconciled");
        var before = op.Reconciler.Reconciles;

        // No change anywhere: only the requested requeue can bring w1 back.
        await Poll.UntilAsync(() => op.Reconciler.Reconciles >= before + 3, "w1 comes back again and again");
        Assert.True(await op.CounterAsync("controller_runtime_reconcile_total", ("controller", "widgets"), ("result", "requeue_after")) >= 3);
        Assert.Equal(0, await op.CounterAsync("controller_runtime_reconcile_errors_total", ("controller", "widgets")));
    }

    [Fact]
    public async Task Many_changes_with_many_workers_never_reconcile_one_key_twice_at_once()
    {
        await using var cluster = await TestCluster.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await cluster.CreateWidgetAsync($"w{i}");
        }

        await using var op = new WidgetOperator(cluster, cluster.Client, workers: 4);
        op.Reconciler.BeforeReconcile = (_, ct) => Task.Delay(5, ct);
        op.Start();
        await Poll.UntilAsync(() => op.Controller.IsRunning, "the controller runs");
        for (var round = 0; round < 50; round++)
        {
            op.Controller.Enqueue(new ObjectKey(TestCluster.Namespace, $"w{round % 4}"));
        }

        for (var i = 0; i < 4; i++)
        {
            var name = $"w{i}";
            await Poll.UntilAsync(() => IsConvergedAsync(cluster, name), $"{name} is reconciled");
        }

        await WaitForQuietAsync(op);
        Assert.Equal(1, op.Reconciler.MaxInFlightPerKey);
    }

    [Fact]
    public async Task A_deleted_owned_object_is_recreated_through_the_owner_mapping()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client).Start();
        await Poll.UntilAsync(() => IsConvergedAsync(cluster, "w1"), "w1 is reconciled");
        var first = await cluster.ConfigMaps.GetAsync("w1-config");

        await cluster.ConfigMaps.DeleteAsync("w1-config");

        await Poll.UntilAsync(async () => await cluster.ConfigMaps.GetOrDefaultAsync("w1-config") is { } again && again.Metadata.Uid != first.Metadata.Uid, "the ConfigMap is back");
    }

    internal static async Task<bool> IsConvergedAsync(TestCluster cluster, string name)
    {
        var widget = await cluster.Widgets.GetOrDefaultAsync(name);
        if (widget?.Fields is not { } fields || !fields.TryGetValue("status", out var status) || !status.TryGetProperty("observedGeneration", out var observed))
        {
            return false;
        }

        return observed.GetInt64() == widget.Metadata.Generation
            && widget.Metadata.Finalizers?.Contains(WidgetController.Finalizer) == true
            && await cluster.ConfigMaps.GetOrDefaultAsync(name + "-config") is not null;
    }

    /// <summary>Waits until the controller has had nothing to do for a while (no reconcile started or running for 300 ms).</summary>
    internal static async Task WaitForQuietAsync(WidgetOperator op)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var last = op.Reconciler.Reconciles;
        var quietSince = DateTime.UtcNow;
        while (DateTime.UtcNow - quietSince < TimeSpan.FromMilliseconds(300))
        {
            Assert.False(deadline.IsCancellationRequested, "the controller never went quiet");
            await Task.Delay(20, CancellationToken.None);
            var now = op.Reconciler.Reconciles;
            if (now != last || await op.CounterAsync("controller_runtime_active_workers", ("controller", WidgetOperator.ControllerName)) > 0)
            {
                last = now;
                quietSince = DateTime.UtcNow;
            }
        }
    }

    private static System.Text.Json.Nodes.JsonNode JsonNodeOf(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;
}
