using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Tests.Runtime.Scenarios;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Controllers;

public sealed class OwnerKeysTests
{
    private static IEnumerable<ObjectKey> ByOwner(V1ConfigMap owned) => Controller<UntypedObject>.OwnerKeys(owned, TestCluster.WidgetResource);

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

    private static V1ConfigMap Owned(V1OwnerReference owner) =>
        new() { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo", OwnerReferences = [owner] } };
}
