using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Runtime.Apply;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Apply;

public sealed class OwnerReferencesTests
{
    private static readonly UntypedObject Owner = new()
    {
        ApiVersion = "example.dev/v1",
        Kind = "Widget",
        Metadata = new V1ObjectMeta { Name = "w1", NamespaceProperty = "demo", Uid = "uid-1" },
    };

    [Fact]
    public void The_controller_reference_names_the_owner_and_blocks_its_deletion()
    {
        var owned = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo" } };

        OwnerReferences.SetController(owned, Owner);

        var reference = Assert.Single(owned.Metadata.OwnerReferences!);

        Assert.Equal(("example.dev/v1", "Widget", "w1", "uid-1", true, true), (reference.ApiVersion, reference.Kind, reference.Name, reference.Uid, reference.Controller, reference.BlockOwnerDeletion));
    }

    [Fact]
    public void Setting_the_controller_keeps_other_owners_and_is_idempotent()
    {
        var other = new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "x", Uid = "uid-x" };
        var owned = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo", OwnerReferences = [other] } };

        OwnerReferences.SetController(owned, Owner);
        OwnerReferences.SetController(owned, Owner);

        Assert.Equal(["uid-x", "uid-1"], owned.Metadata.OwnerReferences!.Select(r => r.Uid));
        Assert.True(OwnerReferences.IsControlledBy(owned, Owner));
    }

    [Fact]
    public void An_object_controlled_by_another_owner_is_not_taken_over()
    {
        var owned = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo", OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Widget", Name = "w2", Uid = "uid-2", Controller = true }] },
        };

        Assert.Throws<InvalidOperationException>(() => OwnerReferences.SetController(owned, Owner));
    }

    [Fact]
    public void An_owner_in_another_namespace_or_without_a_uid_is_refused()
    {
        var elsewhere = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "other" } };
        Assert.Throws<ArgumentException>(() => OwnerReferences.SetController(elsewhere, Owner));
        var owned = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "demo" } };
        Assert.Throws<ArgumentException>(() => OwnerReferences.SetController(owned, Owner with { Metadata = new V1ObjectMeta { Name = "w1" } }));
    }
}
