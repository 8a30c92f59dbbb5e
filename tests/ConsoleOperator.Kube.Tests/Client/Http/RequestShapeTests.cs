using System.Text;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Fixtures;
using TestKit.Replay;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Http;

/// <summary>URL paths (as the client sends them, built by the library) and patch documents, checked against the recorded request lines.</summary>
public sealed class RequestShapeTests : IAsyncLifetime
{
    private const string AnyObject = """{"apiVersion":"v1","kind":"Thing","metadata":{"name":"x","resourceVersion":"1"}}""";
    private ReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("configmaps", "demo", "w1-config", null, "/api/v1/namespaces/demo/configmaps/w1-config")]
    [InlineData("deployments", "demo", null, null, "/apis/apps/v1/namespaces/demo/deployments")]
    [InlineData("leases", "demo", "console-operator-leader", null, "/apis/coordination.k8s.io/v1/namespaces/demo/leases/console-operator-leader")]
    [InlineData("customresourcedefinitions", null, "widgets.example.dev", null, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.dev")]
    [InlineData("namespaces", null, "demo", null, "/api/v1/namespaces/demo")]
    [InlineData("horizontalpodautoscalers", "demo", null, null, "/apis/autoscaling/v2/namespaces/demo/horizontalpodautoscalers")]
    [InlineData("events", "demo", null, null, "/apis/events.k8s.io/v1/namespaces/demo/events")]
    public async Task Known_resources_build_the_recorded_paths(string plural, string? ns, string? name, string? subresource, string expected)
    {
        var descriptor = KnownResources.All.Single(d => d.Plural == plural);

        Assert.Equal(expected, await SentPathAsync(descriptor, ns, name, subresource));
    }

    [Fact]
    public async Task A_custom_resource_status_path_and_the_all_namespaces_list_path()
    {
        var widgets = new ResourceDescriptor("example.dev", "v1", "widgets", "Widget");

        Assert.Equal("/apis/example.dev/v1/namespaces/demo/widgets/w1/status", await SentPathAsync(widgets, "demo", "w1", "status"));
        Assert.Equal("/apis/example.dev/v1/widgets", await SentPathAsync(widgets, null, null, null));
        Assert.Equal("example.dev/v1", widgets.ApiVersion);
    }

    [Theory]
    [InlineData("example.dev", "namespaces/demo/widgets", "w1", "/apis/example.dev/v1/namespaces/demo/widgets/w1")]
    [InlineData("", "namespaces/demo/configmaps", "c1", "/api/v1/namespaces/demo/configmaps/c1")]
    public async Task The_library_puts_path_parameters_in_the_url_as_they_are(string group, string plural, string name, string expected)
    {
        // Contract: ResourceClient gives the library's cluster-level operations "namespaces/{ns}/{plural}" as the
        // plural, so one call per verb serves both scopes. Were the library to escape its path parameters, this fails.
        _server.Enqueue(new ReplayResponse { Status = 200, Headers = [new RecordedHeader("Content-Type", "application/json")], Body = Encoding.UTF8.GetBytes(AnyObject) });
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });

        using var response = await client.Api.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync<System.Text.Json.JsonElement>(group, "v1", plural, name);

        Assert.Equal(expected, _server.Received[^1].Path);
    }

    [Fact]
    public void A_namespace_on_a_cluster_scoped_resource_is_refused()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });

        Assert.Throws<ArgumentException>(() => client.Resource(KnownResources.Namespace, EntityJson.TypeInfo<UntypedObject>(), "demo"));
    }

    [Fact]
    public async Task The_json_patch_goes_byte_for_byte_as_the_recorded_finalizer_patch_null_values_kept()
    {
        var recorded = File.ReadAllText(Path.Combine(TestKit.Fixtures.FixtureLibrary.Root, "10-finalizers/02-json-patch-test-rv-add-finalizer-200/request.body"));
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
        var widgets = client.Resource(new ResourceDescriptor("example.dev", "v1", "widgets", "Widget"), EntityJson.TypeInfo<UntypedObject>(), "demo");
        _server.Enqueue(new ReplayResponse { Status = 200, Headers = [new RecordedHeader("Content-Type", "application/json")], Body = Encoding.UTF8.GetBytes(AnyObject) });
        _server.Enqueue(new ReplayResponse { Status = 200, Headers = [new RecordedHeader("Content-Type", "application/json")], Body = Encoding.UTF8.GetBytes(AnyObject) });

        await widgets.JsonPatchAsync("w1",
        [
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = "228" },
            new JsonObject { ["op"] = "add", ["path"] = "/metadata/finalizers", ["value"] = new JsonArray("example.dev/cleanup") },
        ]);
        await widgets.JsonPatchAsync("w1", [new JsonObject { ["op"] = "test", ["path"] = "/metadata/deletionTimestamp", ["value"] = null }]);

        Assert.Equal(recorded, Encoding.UTF8.GetString(_server.Received[^2].Body));
        Assert.Equal("application/json-patch+json", _server.Received[^2].Header("Content-Type"));
        Assert.Equal("""[{"op":"test","path":"/metadata/deletionTimestamp","value":null}]""", Encoding.UTF8.GetString(_server.Received[^1].Body));
    }

    [Fact]
    public async Task An_empty_json_patch_is_refused_before_sending()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
        var widgets = client.Resource(new ResourceDescriptor("example.dev", "v1", "widgets", "Widget"), EntityJson.TypeInfo<UntypedObject>(), "demo");

        await Assert.ThrowsAsync<ArgumentException>(() => widgets.JsonPatchAsync("w1", []));
        Assert.Empty(_server.Received);
    }

    /// <summary>The path the client sent: a GET of the object, a merge patch of its subresource, or a LIST of the collection.</summary>
    private async Task<string> SentPathAsync(ResourceDescriptor descriptor, string? ns, string? name, string? subresource)
    {
        _server.Enqueue(new ReplayResponse { Status = 200, Headers = [new RecordedHeader("Content-Type", "application/json")], Body = Encoding.UTF8.GetBytes(AnyObject) });
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
        var resource = client.Resource(descriptor, EntityJson.TypeInfo<UntypedObject>(), ns);
        var before = _server.Received.Count;
        _ = (name, subresource) switch
        {
            (null, _) => (object)await resource.ListAsync(),
            (_, null) => await resource.GetAsync(name),
            _ => await resource.MergePatchAsync(name, new JsonObject(), status: subresource == "status"),
        };

        return _server.Received[before].Path;
    }
}
