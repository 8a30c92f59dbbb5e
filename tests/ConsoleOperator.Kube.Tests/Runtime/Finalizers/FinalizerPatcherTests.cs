using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Runtime.Finalizers;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Finalizers;

public sealed class FinalizerPatcherTests
{
    private const string Finalizer = "example.dev/cleanup";

    [Fact]
    public async Task Adding_to_an_object_without_finalizers_is_a_json_patch_guarded_by_the_resource_version()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1");
        await cluster.ClearRequestLogAsync();

        var patched = await FinalizerPatcher.AddAsync(cluster.Widgets, widget, Finalizer, CancellationToken.None);

        Assert.Equal([Finalizer], patched.Metadata.Finalizers!);
        var request = Assert.Single(await cluster.SettledRequestsAsync());
        Assert.Equal(("PATCH", "application/json-patch+json"), (request.Method, request.ContentType));
        Assert.Equal(
            $$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{widget.Metadata.ResourceVersion}}"},{"op":"add","path":"/metadata/finalizers","value":["example.dev/cleanup"]}]""",
            request.Body);
    }

    [Fact]
    public async Task Adding_next_to_other_finalizers_tests_the_list_as_read_and_writes_it_with_ours_appended()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1", finalizers: ["other.dev/keep"]);
        await cluster.ClearRequestLogAsync();

        var patched = await FinalizerPatcher.AddAsync(cluster.Widgets, widget, Finalizer, CancellationToken.None);

        Assert.Equal(["other.dev/keep", Finalizer], patched.Metadata.Finalizers!);
        Assert.Equal(
            """[{"op":"test","path":"/metadata/finalizers","value":["other.dev/keep"]},{"op":"add","path":"/metadata/finalizers","value":["other.dev/keep","example.dev/cleanup"]}]""",
            Assert.Single(await cluster.SettledRequestsAsync()).Body);
    }

    [Fact]
    public async Task A_finalizer_already_present_is_not_written_again()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1", finalizers: [Finalizer]);
        await cluster.ClearRequestLogAsync();

        var same = await FinalizerPatcher.AddAsync(cluster.Widgets, widget, Finalizer, CancellationToken.None);

        Assert.Same(widget, same);
        Assert.Empty(await cluster.SettledRequestsAsync());
    }

    [Fact]
    public async Task A_list_changed_since_it_was_read_fails_as_a_conflict_and_keeps_the_other_writers_finalizer()
    {
        await using var cluster = await TestCluster.StartAsync();
        var stale = await cluster.CreateWidgetAsync("w1", finalizers: ["other.dev/a"]);
        await FinalizerPatcher.AddAsync(cluster.Widgets, stale, "other.dev/b", CancellationToken.None);

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => FinalizerPatcher.AddAsync(cluster.Widgets, stale, Finalizer, CancellationToken.None));

        Assert.True(error.IsConflict);
        Assert.True(Assert.IsType<KubernetesApiException>(error.InnerException).IsInvalid);
        Assert.Equal(["other.dev/a", "other.dev/b"], (await cluster.Widgets.GetAsync("w1")).Metadata.Finalizers!);
    }

    [Fact]
    public async Task Removing_the_last_finalizer_of_a_terminating_object_lets_it_go()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1", finalizers: [Finalizer]);
        await cluster.Widgets.DeleteAsync("w1");
        var terminating = await cluster.Widgets.GetAsync("w1");
        Assert.True(terminating.DeletionTimestamp() is not null);

        await FinalizerPatcher.RemoveAsync(cluster.Widgets, terminating, Finalizer, CancellationToken.None);

        Assert.Null(await cluster.Widgets.GetOrDefaultAsync("w1"));
    }

    [Fact]
    public async Task A_terminating_object_gets_no_new_finalizer_and_nothing_is_sent()
    {
        await using var cluster = await TestCluster.StartAsync();
        await cluster.CreateWidgetAsync("w1", finalizers: ["other.dev/keep"]);
        await cluster.Widgets.DeleteAsync("w1");
        var terminating = await cluster.Widgets.GetAsync("w1");
        await cluster.ClearRequestLogAsync();

        var same = await FinalizerPatcher.AddAsync(cluster.Widgets, terminating, Finalizer, CancellationToken.None);

        Assert.Same(terminating, same);
        Assert.Empty(await cluster.SettledRequestsAsync());
    }

    [Fact]
    public async Task Removing_only_takes_out_our_finalizer()
    {
        await using var cluster = await TestCluster.StartAsync();
        var widget = await cluster.CreateWidgetAsync("w1", finalizers: ["other.dev/a", Finalizer, "other.dev/b"]);

        var patched = await FinalizerPatcher.RemoveAsync(cluster.Widgets, widget, Finalizer, CancellationToken.None);

        Assert.Equal(["other.dev/a", "other.dev/b"], patched.Metadata.Finalizers!);
    }
}
