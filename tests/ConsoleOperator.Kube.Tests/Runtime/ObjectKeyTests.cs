using ConsoleOperator.Kube.Runtime;

namespace ConsoleOperator.Kube.Tests.Runtime;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("default/web", "default", "web")]
    [InlineData("node-1", "", "node-1")]
    public void Parse_reads_namespaced_and_cluster_scoped_keys_and_ToString_writes_them_back(string text, string ns, string name)
    {
        var key = ObjectKey.Parse(text);

        Assert.Equal(ns, key.Namespace);
        Assert.Equal(name, key.Name);
        Assert.Equal(ns.Length == 0, key.IsClusterScoped);
        Assert.Equal(text, key.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/web")]
    [InlineData("default/")]
    [InlineData("a/b/c")]
    public void Parse_rejects_malformed_keys_with_a_clear_error(string text)
    {
        var error = Assert.Throws<FormatException>(() => ObjectKey.Parse(text));
        Assert.Contains("namespace/name", error.Message, StringComparison.Ordinal);
        Assert.False(ObjectKey.TryParse(text, out _));
    }

    [Fact]
    public void Keys_with_the_same_namespace_and_name_are_equal()
    {
        Assert.Equal(new ObjectKey("ns", "a"), ObjectKey.Parse("ns/a"));
        Assert.NotEqual(new ObjectKey("ns", "a"), ObjectKey.Cluster("a"));
    }

    [Fact]
    public void A_name_containing_a_slash_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ObjectKey("ns", "a/b"));
        Assert.Throws<ArgumentException>(() => new ObjectKey("ns", ""));
    }

    [Fact]
    public void The_default_key_reads_as_empty_rather_than_throwing()
    {
        var key = default(ObjectKey);

        Assert.Equal(string.Empty, key.ToString());
        Assert.True(key.IsClusterScoped);
    }
}
