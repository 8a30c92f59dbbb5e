using ConsoleOperator.Kube.Runtime;
using TestKit.Polling;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

public sealed class FinalizerScenarioTests
{
    [Fact]
    public async Task Deleting_a_widget_runs_the_cleanup_then_removes_the_finalizer_and_the_widget_goes()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1");
        await using var op = new WidgetOperator(cluster, cluster.Client).Start();
        await Poll.UntilAsync(() => ReconcileScenarioTests.IsConvergedAsync(cluster, "w1"), "w1 is reconciled");

        await cluster.Widgets.DeleteAsync("w1");

        await Poll.UntilAsync(async () => await cluster.Widgets.GetOrDefaultAsync("w1") is null, "w1 is gone");
        Assert.Equal([new ObjectKey(TestCluster.Namespace, "w1")], op.Reconciler.CleanedUp);
        await Poll.UntilAsync(() => op.Widgets.Cache.Get(TestCluster.Namespace, "w1") is null, "the cache forgets w1");
    }

    [Fact]
    public async Task A_widget_already_terminating_when_the_operator_starts_is_finalized_too()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("doomed", finalizers: [WidgetController.Finalizer]);
        await cluster.Widgets.DeleteAsync("doomed");
        Assert.NotNull((await cluster.Widgets.GetAsync("doomed")).Metadata.DeletionTimestamp);

        await using var op = new WidgetOperator(cluster, cluster.Client).Start();

        await Poll.UntilAsync(async () => await cluster.Widgets.GetOrDefaultAsync("doomed") is null, "the terminating widget is finalized");
        Assert.Equal([new ObjectKey(TestCluster.Namespace, "doomed")], op.Reconciler.CleanedUp);
        await cluster.SettleRequestLogAsync();
        Assert.DoesNotContain(cluster.Writes(), w => w.Method == "PUT");
    }

    [Fact]
    public async Task A_terminating_widget_with_only_someone_elses_finalizer_is_left_alone()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("foreign", finalizers: ["other.dev/keep"]);
        await cluster.Widgets.DeleteAsync("foreign");
        await using var op = new WidgetOperator(cluster, cluster.Client).Start();

        // Nothing of the widget controller runs for it: the runtime's own count tells that its key was reconciled.
        await Poll.UntilAsync(async () => await op.CounterAsync("controller_runtime_reconcile_total", ("controller", WidgetOperator.ControllerName), ("result", "success")) >= 1, "the widget is reconciled");
        await ReconcileScenarioTests.WaitForQuietAsync(op);

        var foreign = await cluster.Widgets.GetAsync("foreign");
        Assert.Equal(["other.dev/keep"], foreign.Metadata.Finalizers!);
        Assert.Empty(op.Reconciler.CleanedUp);
    }
}
