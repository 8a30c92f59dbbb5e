using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Informers;

public sealed class InformerCacheTests
{
    [Fact]
    public void The_first_replace_adds_everything_as_initial()
    {
        var cache = new InformerCache<V1ConfigMap>();

        var changes = Replace(cache, [Map("a", "1"), Map("b", "2")], initial: true);

        Assert.Equal([("add", "a", true), ("add", "b", true)], changes.Select(c => (c.Kind, c.Object.Metadata.Name!, c.Flag)));
        Assert.Equal("1", cache.Get(new ObjectKey("ns", "a"))!.Metadata.ResourceVersion);
    }

    [Fact]
    public void A_relist_updates_known_objects_adds_new_ones_and_synthesizes_deletes_for_vanished_ones()
    {
        var cache = new InformerCache<V1ConfigMap>();
        Replace(cache, [Map("stays", "1"), Map("changes", "2"), Map("vanishes", "3")], initial: true);

        var changes = Replace(cache, [Map("stays", "1"), Map("changes", "7"), Map("appears", "8")], initial: false);

        Assert.Equal(
            [("update", "stays", false), ("update", "changes", false), ("add", "appears", false), ("delete", "vanishes", true)],
            changes.Select(c => (c.Kind, c.Object.Metadata.Name!, c.Flag)));
        Assert.Equal("2", changes[1].OldObject!.Metadata.ResourceVersion);
        Assert.Equal("3", changes[3].Object.Metadata.ResourceVersion);
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

    /// <summary>Replaces the cache's contents and returns the changes it reported, in order.</summary>
    private static List<(string Kind, V1ConfigMap Object, V1ConfigMap? OldObject, bool Flag)> Replace(InformerCache<V1ConfigMap> cache, V1ConfigMap[] listed, bool initial)
    {
        var changes = new List<(string Kind, V1ConfigMap Object, V1ConfigMap? OldObject, bool Flag)>();
        cache.Replace(listed, initial, new()
        {
            Added = (obj, initial) => changes.Add(("add", obj, null, initial)),
            Updated = (old, obj) => changes.Add(("update", obj, old, false)),
            Deleted = (obj, unknown) => changes.Add(("delete", obj, null, unknown)),
        });
        return changes;
    }

    private static V1ConfigMap Map(string name, string resourceVersion, string ns = "ns") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, ResourceVersion = resourceVersion } };
}
