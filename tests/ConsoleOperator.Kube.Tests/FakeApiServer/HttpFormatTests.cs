using System.Text;
using System.Text.Json.Nodes;
using static ConsoleOperator.Kube.Tests.FakeApiServer.FakeApiServerHarness;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class HttpFormatTests
{
    [Theory]
    [InlineData("/apis/example.dev/v1/namespaces/demo/gizmos")]
    [InlineData("/apis/nope.example.dev/v1")]
    [InlineData("/apis/example.dev/v2/namespaces/demo/widgets")]
    [InlineData("/healthz/nothing")]
    public async Task Unknown_paths_answer_the_plain_text_404_of_the_go_mux(string path)
    {
        await using var harness = await StartAsync();

        using var response = await harness.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("404 page not found\n", body);
    }

    [Fact]
    public async Task Status_bodies_keep_the_server_key_order_and_json_content_type()
    {
        await using var harness = await StartAsync();

        using var response = await harness.Http.GetAsync($"{Widgets}/missing");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"widgets.example.dev \"missing\" not found","reason":"NotFound","details":{"name":"missing","group":"example.dev","kind":"widgets"},"code":404}""",
            text);
        Assert.True(response.Headers.Contains("Audit-Id"));
        Assert.Equal("no-cache, private", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Custom_resources_serialize_with_sorted_keys_and_built_ins_with_kind_first()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");

        var widget = await harness.Http.GetStringAsync($"{Widgets}/w1");
        var configMap = await harness.Http.GetStringAsync("/api/v1/namespaces/demo");

        Assert.StartsWith("{\"apiVersion\":\"example.dev/v1\",\"kind\":\"Widget\",\"metadata\":{\"creationTimestamp\"", widget, StringComparison.Ordinal);
        Assert.StartsWith("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"demo\",\"uid\"", configMap, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/strategic-merge-patch+json")]
    [InlineData("application/json")]
    public async Task Custom_resources_refuse_other_patch_types_with_415(string contentType)
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");

        var (status, error) = await harness.PatchAsync($"{Widgets}/w1", """{"spec":{"size":6}}""", contentType);

        Assert.Equal(415, status);
        Assert.Equal("UnsupportedMediaType", (string?)error["reason"]);
    }

    [Fact]
    public async Task Post_to_an_object_path_is_a_create_for_custom_resources_and_405_for_built_ins()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");

        var (custom, customBody) = await harness.SendAsync(HttpMethod.Post, $"{Widgets}/w1", WidgetJson("w1"));
        var (builtIn, builtInBody) = await harness.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps/cm", """{"metadata":{"name":"cm"}}""");

        Assert.Equal(409, custom);
        Assert.Equal("AlreadyExists", (string?)customBody["reason"]);
        Assert.Equal(405, builtIn);
        Assert.Equal("{}", builtInBody["details"]!.ToJsonString());
    }

    [Fact]
    public async Task A_strategic_merge_patch_on_a_deployment_merges_containers_by_name()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        await harness.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/demo/deployments", """{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25"},{"name":"side","image":"busybox:1.36"}]}}}}""");

        var (status, patched) = await harness.PatchAsync("/apis/apps/v1/namespaces/demo/deployments/web", """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}""", "application/strategic-merge-patch+json");

        Assert.Equal(200, status);
        var containers = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("nginx:1.27", (string?)containers[0]!["image"]);
        Assert.Equal("busybox:1.36", (string?)containers[1]!["image"]);
    }

    [Fact]
    public async Task Lease_micro_times_need_exactly_six_fraction_digits_and_are_normalized_to_utc()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        const string leases = "/apis/coordination.k8s.io/v1/namespaces/demo/leases";
        static string Lease(string name, string time) =>
            "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"holderIdentity\":\"a\",\"leaseDurationSeconds\":15,\"renewTime\":\"" + time + "\"}}";

        var (bad, error) = await harness.SendAsync(HttpMethod.Post, leases, Lease("l1", "2026-11-20T23:32:50.5Z"));
        var (good, lease) = await harness.SendAsync(HttpMethod.Post, leases, Lease("l2", "2026-11-21T01:32:30.000001+02:00"));

        Assert.Equal(400, bad);
        Assert.Equal(
            "Lease in version \"v1\" cannot be handled as a Lease: parsing time \"2026-11-20T23:32:50.5Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \".5Z\" as \".000000\"",
            (string?)error["message"]);
        Assert.Equal(201, good);
        Assert.Equal("2026-11-20T23:32:30.000001Z", (string?)lease["spec"]!["renewTime"]);
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_with_a_warning_or_refused_when_strict()
    {
        await using var harness = await StartAsync();
        var body = """{"apiVersion":"example.dev/v1","kind":"Widget","metadata":{"name":"u1"},"spec":{"size":2,"color":"red"}}""";

        using var lenient = await harness.Http.PostAsync(Widgets, new StringContent(body, Encoding.UTF8, "application/json"));
        using var strict = await harness.Http.PostAsync($"{Widgets}?fieldValidation=Strict", new StringContent(body.Replace("u1", "u2", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        var created = JsonNode.Parse(await lenient.Content.ReadAsStringAsync())!;

        Assert.Equal(201, (int)lenient.StatusCode);
        Assert.Equal(["299 - \"unknown field \\\"spec.color\\\"\""], lenient.Headers.GetValues("Warning"));
        Assert.Null(created["spec"]!["color"]);
        Assert.Equal(400, (int)strict.StatusCode);
    }

    [Fact]
    public async Task Secret_string_data_is_merged_into_base64_data_and_never_returned()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);

        var (status, secret) = await harness.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/secrets", """{"metadata":{"name":"s"},"stringData":{"user":"admin"},"data":{"user":"b3ZlcnJpZGRlbg==","token":"dG9r"}}""");

        Assert.Equal(201, status);
        Assert.Null(secret["stringData"]);
        Assert.Equal("YWRtaW4=", (string?)secret["data"]!["user"]);
        Assert.Equal("dG9r", (string?)secret["data"]!["token"]);
        Assert.Equal("Opaque", (string?)secret["type"]);
    }

    [Fact]
    public async Task A_service_keeps_its_allocated_cluster_ip_and_refuses_to_change_it()
    {
        await using var harness = await StartAsync(withWidgetCrd: false);
        const string service = "/api/v1/namespaces/demo/services/web";
        const string config = """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}""";

        var (_, created) = await harness.ApplyAsync(service, config, "op");
        var (_, again) = await harness.ApplyAsync(service, config, "op");
        var (changed, _) = await harness.ApplyAsync(service, """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"clusterIP":"10.0.0.250","ports":[{"port":80}]}}""", "op");

        var ip = (string?)created["spec"]!["clusterIP"];
        Assert.StartsWith("10.0.0.", ip, StringComparison.Ordinal);
        Assert.Equal(ip, (string?)again["spec"]!["clusterIP"]);
        Assert.Equal(Rv(created), Rv(again));
        Assert.Equal(80, (int)created["spec"]!["ports"]![0]!["targetPort"]!);
        Assert.Equal(422, changed);
    }
}
