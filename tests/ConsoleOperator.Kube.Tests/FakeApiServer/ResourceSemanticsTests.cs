using System.Text.Json.Nodes;
using static ConsoleOperator.Kube.Tests.FakeApiServer.FakeApiServerHarness;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class ResourceSemanticsTests
{
    [Fact]
    public async Task Create_sets_uid_creation_time_generation_one_and_a_fresh_resource_version()
    {
        await using var harness = await StartAsync();
        var before = harness.Server.Store.Revision;

        var (status, widget) = await harness.CreateWidgetAsync("w1");

        Assert.Equal(201, status);
        Assert.Equal(1, Generation(widget));
        Assert.True(long.Parse(Rv(widget), System.Globalization.CultureInfo.InvariantCulture) > before);
        Assert.True(Guid.TryParse((string?)widget["metadata"]!["uid"], out _));
        Assert.Equal("2026-11-20T12:00:00Z", (string?)widget["metadata"]!["creationTimestamp"]);
    }

    [Fact]
    public async Task Generation_moves_on_spec_changes_only_and_status_writes_never_bump_it()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");

        var (_, labelled) = await harness.PatchAsync($"{Widgets}/w1", """{"metadata":{"labels":{"tier":"gold"}}}""", "application/merge-patch+json");
        var (_, resized) = await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":5}}""", "application/merge-patch+json");
        var (_, withStatus) = await harness.PatchAsync($"{Widgets}/w1/status", """{"status":{"phase":"Ready"}}""", "application/merge-patch+json");

        Assert.Equal(1, Generation(labelled));
        Assert.Equal(2, Generation(resized));
        Assert.Equal(2, Generation(withStatus));
        Assert.Equal("Ready", (string?)withStatus["status"]!["phase"]);
        Assert.NotEqual(Rv(resized), Rv(withStatus));
    }

    [Fact]
    public async Task Status_sent_to_the_main_resource_is_ignored_and_is_a_no_op_that_keeps_the_resource_version()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.CreateWidgetAsync("w1");

        var (status, after) = await harness.PatchAsync($"{Widgets}/w1", """{"status":{"phase":"Sneaky"}}""", "application/merge-patch+json");

        Assert.Equal(200, status);
        Assert.Equal(Rv(created), Rv(after));
        Assert.Null(after["status"]);
    }

    [Fact]
    public async Task Spec_sent_to_the_status_subresource_is_ignored()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.CreateWidgetAsync("w1", size: 2);
        created["spec"]!["size"] = 99;
        created["status"] = new JsonObject { ["phase"] = "Degraded" };

        var (status, after) = await harness.SendAsync(HttpMethod.Put, $"{Widgets}/w1/status", created.ToJsonString());

        Assert.Equal(200, status);
        Assert.Equal(2, (int)after["spec"]!["size"]!);
        Assert.Equal("Degraded", (string?)after["status"]!["phase"]);
        Assert.Equal(1, Generation(after));
    }

    [Fact]
    public async Task An_unchanged_put_keeps_the_resource_version()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.CreateWidgetAsync("w1");

        var (status, after) = await harness.SendAsync(HttpMethod.Put, $"{Widgets}/w1", created.ToJsonString());

        Assert.Equal(200, status);
        Assert.Equal(Rv(created), Rv(after));
    }

    [Fact]
    public async Task Deployment_annotations_bump_generation_but_configmap_data_has_no_generation_at_all()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        const string deployments = "/apis/apps/v1/namespaces/demo/deployments";
        await harness.SendAsync(HttpMethod.Post, deployments, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}""");
        var (_, configMap) = await harness.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps", """{"metadata":{"name":"cm"},"data":{"k":"v"}}""");

        var (_, annotated) = await harness.PatchAsync($"{deployments}/web", """{"metadata":{"annotations":{"note":"x"}}}""", "application/merge-patch+json");

        Assert.Equal(2, Generation(annotated));
        Assert.Null(configMap["metadata"]!["generation"]);
        Assert.Equal(1, (int)annotated["spec"]!["replicas"]!);
        Assert.Equal("IfNotPresent", (string?)annotated["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]);
    }

    [Fact]
    public async Task A_stale_put_is_a_409_conflict_with_the_recorded_message()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.CreateWidgetAsync("w1");
        await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":3}}""", "application/merge-patch+json");

        var (status, error) = await harness.SendAsync(HttpMethod.Put, $"{Widgets}/w1", created.ToJsonString());

        Assert.Equal(409, status);
        Assert.Equal("Conflict", (string?)error["reason"]);
        Assert.Equal(
            "Operation cannot be fulfilled on widgets.example.dev \"w1\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)error["message"]);
        Assert.Equal("widgets", (string?)error["details"]!["kind"]);
    }

    [Fact]
    public async Task A_custom_resource_put_without_resource_version_is_422_but_a_configmap_put_is_unconditional()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");
        await harness.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps", """{"metadata":{"name":"cm"},"data":{"k":"v"}}""");

        var (widgetStatus, _) = await harness.SendAsync(HttpMethod.Put, $"{Widgets}/w1", WidgetJson("w1", 4));
        var (configMapStatus, configMap) = await harness.SendAsync(HttpMethod.Put, "/api/v1/namespaces/demo/configmaps/cm", """{"metadata":{"name":"cm"},"data":{"k":"changed"}}""");

        Assert.Equal(422, widgetStatus);
        Assert.Equal(200, configMapStatus);
        Assert.Equal("changed", (string?)configMap["data"]!["k"]);
    }

    [Fact]
    public async Task A_merge_patch_carrying_a_stale_resource_version_is_a_conflict()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.CreateWidgetAsync("w1");
        await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":3}}""", "application/merge-patch+json");

        var (status, _) = await harness.PatchAsync($"{Widgets}/w1", $$$"""{"metadata":{"resourceVersion":"{{{Rv(created)}}}"},"spec":{"size":4}}""", "application/merge-patch+json");

        Assert.Equal(409, status);
    }

    [Fact]
    public async Task Create_errors_follow_the_recorded_shapes()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");

        var (duplicate, duplicateBody) = await harness.CreateWidgetAsync("w1");
        var (missingNs, missingNsBody) = await harness.SendAsync(HttpMethod.Post, "/apis/example.dev/v1/namespaces/nope/widgets", WidgetJson("x"));
        var (mismatch, _) = await harness.SendAsync(HttpMethod.Post, "/apis/example.dev/v1/namespaces/default/widgets", """{"apiVersion":"example.dev/v1","kind":"Widget","metadata":{"name":"x","namespace":"demo"},"spec":{"size":1}}""");
        var (generated, generatedBody) = await harness.SendAsync(HttpMethod.Post, Widgets, """{"apiVersion":"example.dev/v1","kind":"Widget","metadata":{"generateName":"gen-"},"spec":{"size":1}}""");

        Assert.Equal(409, duplicate);
        Assert.Equal("AlreadyExists", (string?)duplicateBody["reason"]);
        Assert.Equal(404, missingNs);
        Assert.Equal("namespaces", (string?)missingNsBody["details"]!["kind"]);
        Assert.Equal(400, mismatch);
        Assert.Equal(201, generated);
        Assert.Matches("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$", (string?)generatedBody["metadata"]!["name"]);
    }

    [Fact]
    public async Task Creating_in_a_terminating_namespace_is_forbidden()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        var (deleted, ns) = await harness.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/demo");

        var (status, error) = await harness.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps", """{"metadata":{"name":"late"}}""");

        Assert.Equal(200, deleted);
        Assert.Equal("Terminating", (string?)ns["status"]!["phase"]);
        Assert.Equal(403, status);
        Assert.Equal("NamespaceTerminating", (string?)error["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task Creating_a_crd_registers_its_resource()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        using var before = await harness.Http.GetAsync(Widgets);

        var crd = TestKit.Fixtures.FixtureLibrary.Get("02-crd-create/01-create-crd").Request.BodyText!;
        await harness.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        var (after, list) = await harness.SendAsync(HttpMethod.Get, Widgets);
        var (_, established) = await harness.SendAsync(HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.dev");

        Assert.Equal(404, (int)before.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", before.Content.Headers.ContentType?.ToString());
        Assert.Equal(200, after);
        Assert.Equal("WidgetList", (string?)list["kind"]);
        Assert.Contains(established["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Established" && (string?)c["status"] == "True");
    }
}
