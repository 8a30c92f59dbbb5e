using System.Text;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Patches;
using ConsoleOperator.Kube.Client.Resources;

namespace ConsoleOperator.Kube.Tests.KubeClient.Http;

/// <summary>URL paths, query strings and patch documents, checked against the recorded request lines.</summary>
public sealed class RequestShapeTests
{
    [Theory]
    [InlineData("configmaps", "demo", "w1-config", null, "/api/v1/namespaces/demo/configmaps/w1-config")]
    [InlineData("deployments", "demo", null, null, "/apis/apps/v1/namespaces/demo/deployments")]
    [InlineData("leases", "demo", "console-operator-leader", null, "/apis/coordination.k8s.io/v1/namespaces/demo/leases/console-operator-leader")]
    [InlineData("customresourcedefinitions", null, "widgets.example.dev", null, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.dev")]
    [InlineData("namespaces", null, "demo", null, "/api/v1/namespaces/demo")]
    [InlineData("horizontalpodautoscalers", "demo", null, null, "/apis/autoscaling/v2/namespaces/demo/horizontalpodautoscalers")]
    [InlineData("events", "demo", null, null, "/apis/events.k8s.io/v1/namespaces/demo/events")]
    public void Known_resources_build_the_recorded_paths(string plural, string? ns, string? name, string? subresource, string expected)
    {
        var descriptor = KnownResources.All.Single(d => d.Plural == plural);

        Assert.Equal(expected, descriptor.Path(ns, name, subresource));
    }

    [Fact]
    public void A_custom_resource_status_path_and_the_all_namespaces_list_path()
    {
        var widgets = ResourceDescriptor.Custom("example.dev", "v1", "widgets", "Widget");

        Assert.Equal("/apis/example.dev/v1/namespaces/demo/widgets/w1/status", widgets.Path("demo", "w1", "status"));
        Assert.Equal("/apis/example.dev/v1/widgets", widgets.Path(null));
        Assert.Equal("example.dev/v1", widgets.ApiVersion);
    }

    [Fact]
    public void A_namespace_on_a_cluster_scoped_resource_is_refused()
    {
        Assert.Throws<ArgumentException>(() => KnownResources.Namespace.Path("demo", "x"));
    }

    [Fact]
    public void The_json_patch_matches_the_recorded_finalizer_patch_byte_for_byte()
    {
        var recorded = File.ReadAllText(Path.Combine(ConsoleOperator.Kube.Testing.Fixtures.FixtureLibrary.Root, "10-finalizers/02-json-patch-test-rv-add-finalizer-200/request.body"));

        var written = JsonPatchWriter.ToUtf8(
        [
            JsonPatchOperation.Test("/metadata/resourceVersion", "228"),
            JsonPatchOperation.Add("/metadata/finalizers", new JsonArray("example.dev/cleanup")),
        ]);

        Assert.Equal(recorded, Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void A_null_test_value_is_written_and_remove_carries_no_value()
    {
        var written = Encoding.UTF8.GetString(JsonPatchWriter.ToUtf8(
        [
            JsonPatchOperation.Test("/metadata/deletionTimestamp", null),
            JsonPatchOperation.Remove(JsonPointer.Of("metadata", "labels", "app.kubernetes.io/name")),
        ]));

        Assert.Equal("""[{"op":"test","path":"/metadata/deletionTimestamp","value":null},{"op":"remove","path":"/metadata/labels/app.kubernetes.io~1name"}]""", written);
    }

    [Fact]
    public void An_empty_json_patch_is_refused()
    {
        Assert.Throws<ArgumentException>(() => JsonPatchWriter.ToUtf8([]));
    }
}
