using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Informers;

public sealed class InformerCacheTests
{
    [Fact]
    public void The_first_replace_adds_everything_as_initial_and_marks_the_cache_synced()
    {
        var cache = new InformerCache<V1ConfigMap>();
        Assert.False(cache.HasSynced);

        var changes = cache.Replace([Map("a", "1"), Map("b", "2")]);

        Assert.True(cache.HasSynced);
        Assert.Equal([(NotificationKind.Added, "a", true), (NotificationKind.Added, "b", true)], changes.Select(c => (c.Kind, c.Object!.Metadata.Name!, c.Flag)));
        Assert.Equal("1", cache.Get(new ObjectKey("ns", "a"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public void A_relist_updates_known_objects_adds_new_ones_and_synthesizes_deletes_for_vanished_ones()
    {
        var cache = new InformerCache<V1ConfigMap>();
        cache.Replace([Map("stays", "1"), Map("changes", "2"), Map("vanishes", "3")]);

        var changes = cache.Replace([Map("stays", "1"), Map("changes", "7"), Map("appears", "8")]);

        Assert.Equal(
            [(NotificationKind.Updated, "stays", false), (NotificationKind.Updated, "changes", false), (NotificationKind.Added, "appears", false), (NotificationKind.Deleted, "vanishes", true)],
            changes.Select(c => (c.Kind, c.Object!.Metadata.Name!, c.Flag)));
        Assert.Equal("2", changes[1].OldObject!.Metadata.ResourceVersion);
        Assert.Equal("3", changes[3].Object!.Metadata.ResourceVersion);
        Assert.Null(cache.Get("ns", "vanishes"));
        Assert.Equal(["appears", "changes", "stays"], cache.List().Select(m => m.Metadata.Name).Order());
    }

    [Fact]
    public void Objects_are_keyed_by_namespace_and_name_and_listed_per_namespace()
    {
        var cache = new InformerCache<V1ConfigMap>();
        cache.Upsert(Map("x", "1", "one"));
        cache.Upsert(Map("x", "2", "two"));

        Assert.Equal(2, cache.Count);
        Assert.Equal("2", cache.Get("two", "x")!.Metadata.ResourceVersion);
        Assert.Equal(["1"], cache.List("one").Select(m => m.Metadata.ResourceVersion));
        Assert.Equal("1", cache.Remove(new ObjectKey("one", "x"))!.Metadata.ResourceVersion);
        Assert.Null(cache.Remove(new ObjectKey("one", "x")));
    }

    private static V1ConfigMap Map(string name, string resourceVersion, string ns = "ns") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = resourceVersion } };
}
