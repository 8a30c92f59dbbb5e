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

    private static V1ConfigMap Owned(V1OwnerReference owner) =>
        new() { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo", OwnerReferences = [owner] } };
}
