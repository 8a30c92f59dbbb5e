using ConsoleOperator.Kube.Runtime;

namespace ConsoleOperator.Kube.Tests.Runtime;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("default", "web", "default/web")]
    [InlineData("", "node-1", "node-1")]
    public void ToString_writes_namespaced_and_cluster_scoped_keys(string ns, string name, string text)
    {
        var key = new ObjectKey(ns, name);

        Assert.Equal(ns.Length == 0, key.IsClusterScoped);
        Assert.Equal(text, key.ToString());
    }

    [Fact]
    public void Keys_with_the_same_namespace_and_name_are_equal()
    {
        Assert.Equal(new ObjectKey("ns", "a"), new ObjectKey("ns", "a"));
        Assert.NotEqual(new ObjectKey("ns", "a"), new ObjectKey(string.Empty, "a"));
    }

    [Fact]
    public void A_name_containing_a_slash_or_none_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ObjectKey("ns", "a/b"));
        Assert.Throws<ArgumentException>(() => new ObjectKey("ns", ""));
        Assert.Throws<ArgumentException>(() => ObjectKey.Of(new k8s.Models.V1ConfigMap { Metadata = new k8s.Models.V1ObjectMeta() }));
    }

    [Fact]
    public void The_default_key_reads_as_empty_rather_than_throwing()
    {
        var key = default(ObjectKey);

        Assert.Equal(string.Empty, key.ToString());
        Assert.True(key.IsClusterScoped);
    }
}
