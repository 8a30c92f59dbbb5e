using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Controllers;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Controllers;

public sealed class KeyMappersTests
{
    private static readonly Func<V1ConfigMap, IEnumerable<ObjectKey>> ByOwner = KeyMappers.ByControllerOwner<V1ConfigMap>("example.dev/v1", "Widget");

    [Fact]
    public void An_object_maps_to_its_controller_owner_in_its_own_namespace()
    {
        var map = Owned(new V1OwnerReference { ApiVersion = "example.dev/v1", Kind = "Widget", Name = "w1", Uid = "u", Controller = true });

        Assert.Equal([new ObjectKey("demo", "w1")], ByOwner(map));
    }

    [Fact]
    public void Owners_of_another_kind_or_version_and_non_controller_owners_map_to_nothing()
    {
        Assert.Empty(ByOwner(Owned(new V1OwnerReference { ApiVersion = "example.dev/v2", Kind = "Widget", Name = "w1", Uid = "u", Controller = true })));
        Assert.Empty(ByOwner(Owned(new V1OwnerReference { ApiVersion = "example.dev/v1", Kind = "Gadget", Name = "w1", Uid = "u", Controller = true })));
        Assert.Empty(ByOwner(Owned(new V1OwnerReference { ApiVersion = "example.dev/v1", Kind = "Widget", Name = "w1", Uid = "u" })));
        Assert.Empty(ByOwner(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo" } }));
    }

    [Fact]
    public void A_label_names_the_primary_in_the_same_or_a_labelled_namespace()
    {
        var byLabel = KeyMappers.ByLabel<V1ConfigMap>("example.dev/widget", "example.dev/widget-namespace");

        Assert.Equal([new ObjectKey("demo", "w1")], byLabel(Labelled(new() { ["example.dev/widget"] = "w1" })));
        Assert.Equal([new ObjectKey("prod", "w1")], byLabel(Labelled(new() { ["example.dev/widget"] = "w1", ["example.dev/widget-namespace"] = "prod" })));
        Assert.Empty(byLabel(Labelled(new() { ["other"] = "w1" })));
    }

    private static V1ConfigMap Owned(V1OwnerReference owner) =>
        new() { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo", OwnerReferences = [owner] } };

    private static V1ConfigMap Labelled(Dictionary<string, string> labels) =>
        new() { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo", Labels = labels } };
}
