using System.Text.Json.Nodes;
using static ConsoleOperator.Kube.Tests.FakeApiServer.FakeApiServerHarness;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class ServerSideApplyTests
{
    private const string Deployment = "/apis/apps/v1/namespaces/demo/deployments/web";
    private const string WebConfig = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo","labels":{"app":"web"}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":8080}]}]}}}}""";

    private static string WidgetApply(string spec, string labels = "") =>
        "{\"apiVersion\":\"example.dev/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"wa\"" + labels + "},\"spec\":" + spec + "}";

    private static JsonObject? Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().FirstOrDefault(e => (string?)e["manager"] == manager);

    [Fact]
    public async Task Reapplying_the_same_configuration_is_a_no_op_that_keeps_the_resource_version()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        var (created, first) = await harness.ApplyAsync(Deployment, WebConfig, "console-operator", force: true);
        harness.Clock.Advance(TimeSpan.FromSeconds(5));

        var (again, second) = await harness.ApplyAsync(Deployment, WebConfig, "console-operator", force: true);

        Assert.Equal(201, created);
        Assert.Equal(200, again);
        Assert.Equal(Rv(first), Rv(second));
        Assert.True(JsonNode.DeepEquals(first["metadata"]!["managedFields"], second["metadata"]!["managedFields"]), second.ToJsonString());
    }

    [Fact]
    public async Task Apply_owns_list_items_by_key_and_records_an_apply_entry()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);

        var (_, created) = await harness.ApplyAsync(Deployment, WebConfig, "console-operator", force: true);

        var fields = Entry(created, "console-operator")!;
        Assert.Equal("Apply", (string?)fields["operation"]);
        var containers = fields["fieldsV1"]!["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!.AsObject();
        var web = containers["k:{\"name\":\"web\"}"]!.AsObject();
        Assert.True(web.ContainsKey("."));
        Assert.True(web["f:ports"]!.AsObject().ContainsKey("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}"));
        Assert.Equal("{}", fields["fieldsV1"]!["f:spec"]!["f:selector"]!.ToJsonString());
    }

    [Fact]
    public async Task A_list_item_the_manager_no_longer_applies_is_removed_whole_key_included()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        var twoContainers = WebConfig.Replace(
            "\"ports\":[{\"containerPort\":8080}]}]",
            "\"ports\":[{\"containerPort\":8080}]},{\"name\":\"sidecar\",\"image\":\"busybox:1.36\"}]",
            StringComparison.Ordinal);
        await harness.ApplyAsync(Deployment, twoContainers, "console-operator", force: true);

        var (_, after) = await harness.ApplyAsync(Deployment, WebConfig, "console-operator", force: true);

        // Removed key fields first would leave an item without its key behind (a real server removes the item).
        var containers = after["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web"], containers.Select(c => (string?)c!["name"]));
    }

    [Fact]
    public async Task Another_manager_changing_an_owned_field_conflicts_unless_forced_and_force_takes_ownership()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        await harness.ApplyAsync(Deployment, WebConfig, "console-operator", force: true);
        const string scale = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo"},"spec":{"replicas":5}}""";

        var (conflict, error) = await harness.ApplyAsync(Deployment, scale, "autoscaler-bot");
        var (forced, after) = await harness.ApplyAsync(Deployment, scale, "autoscaler-bot", force: true);

        Assert.Equal(409, conflict);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"console-operator\": .spec.replicas", (string?)error["message"]);
        var cause = error["details"]!["causes"]![0]!;
        Assert.Equal("FieldManagerConflict", (string?)cause["reason"]);
        Assert.Equal(".spec.replicas", (string?)cause["field"]);
        Assert.Null(error["details"]!["name"]);
        Assert.Equal(200, forced);
        Assert.Equal(5, (int)after["spec"]!["replicas"]!);
        Assert.Null(Entry(after, "console-operator")!["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.NotNull(Entry(after, "autoscaler-bot")!["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public async Task Applying_the_same_value_as_another_owner_shares_the_field_without_conflict()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        await harness.ApplyAsync(Deployment, WebConfig, "console-operator", force: true);

        var (status, after) = await harness.ApplyAsync(Deployment, """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}}""", "second");

        Assert.Equal(200, status);
        Assert.NotNull(Entry(after, "console-operator")!["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.NotNull(Entry(after, "second")!["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public async Task A_field_the_applier_owned_and_stopped_sending_is_removed_unless_someone_else_owns_it()
    {
        await using var harness = await StartAsync();
        await harness.ApplyAsync($"{Widgets}/wa", WidgetApply("""{"size":2,"target":"applied"}""", ",\"labels\":{\"a\":\"1\",\"b\":\"2\"}"), "console-operator", force: true);
        await harness.ApplyAsync($"{Widgets}/wa", """{"apiVersion":"example.dev/v1","kind":"Widget","metadata":{"name":"wa","labels":{"b":"2"}}}""", "other");

        var (status, after) = await harness.ApplyAsync($"{Widgets}/wa", WidgetApply("""{"size":3}"""), "console-operator", force: true);

        Assert.Equal(200, status);
        Assert.Null(after["spec"]!["target"]);
        Assert.Equal(3, (int)after["spec"]!["size"]!);
        Assert.Equal(2, Generation(after));
        Assert.Null(after["metadata"]!["labels"]!["a"]);
        Assert.Equal("2", (string?)after["metadata"]!["labels"]!["b"]);
    }

    [Fact]
    public async Task Apply_without_field_manager_is_422_and_without_kind_is_400()
    {
        await using var harness = await StartAsync();

        var (noManager, noManagerBody) = await harness.PatchAsync($"{Widgets}/wa", WidgetApply("""{"size":2}"""), "application/apply-patch+yaml");
        var (noKind, noKindBody) = await harness.ApplyAsync($"{Widgets}/wa", """{"metadata":{"name":"wa"},"spec":{"size":2}}""", "m");

        Assert.Equal(422, noManager);
        Assert.Equal("fieldManager", (string?)noManagerBody["details"]!["causes"]![0]!["field"]);
        Assert.Equal(400, noKind);
        Assert.Equal("invalid object type: /, Kind=", (string?)noKindBody["message"]);
    }

    [Fact]
    public async Task Apply_accepts_real_yaml_and_validates_against_the_crd_schema()
    {
        await using var harness = await StartAsync();
        const string yaml = "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: wa\nspec:\n  size: 2\n  target: \"007\"\n";

        var (created, widget) = await harness.ApplyAsync($"{Widgets}/wa", yaml, "m");
        var (invalid, error) = await harness.ApplyAsync($"{Widgets}/wa", WidgetApply("""{"size":0}"""), "m", force: true);

        Assert.Equal(201, created);
        Assert.Equal("007", (string?)widget["spec"]!["target"]);
        Assert.Equal(422, invalid);
        Assert.Equal("spec.size", (string?)error["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Status_apply_owns_status_fields_under_the_status_subresource()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("wa");

        var (status, after) = await harness.ApplyAsync(
            $"{Widgets}/wa/status",
            """{"apiVersion":"example.dev/v1","kind":"Widget","metadata":{"name":"wa"},"status":{"phase":"Ready","conditions":[{"type":"Ready","status":"True"}]}}""",
            "widget-controller",
            force: true);

        Assert.Equal(200, status);
        var entry = Entry(after, "widget-controller")!;
        Assert.Equal("status", (string?)entry["subresource"]);
        Assert.NotNull(entry["fieldsV1"]!["f:status"]!["f:conditions"]!["k:{\"type\":\"Ready\"}"]);
        Assert.Equal(1, Generation(after));
    }

    [Fact]
    public async Task Dry_run_apply_persists_nothing()
    {
        await using var harness = await StartAsync();
        var (_, created) = await harness.ApplyAsync($"{Widgets}/wa", WidgetApply("""{"size":2}"""), "m");

        var (status, dryRun) = await harness.SendAsync(HttpMethod.Patch, $"{Widgets}/wa?fieldManager=m&dryRun=All", WidgetApply("""{"size":5}"""), "application/apply-patch+yaml");
        var (_, current) = await harness.GetWidgetAsync("wa");

        Assert.Equal(200, status);
        Assert.Equal(5, (int)dryRun["spec"]!["size"]!);
        Assert.Equal(Rv(created), Rv(dryRun));
        Assert.Equal(2, (int)current["spec"]!["size"]!);
    }
}
