using TestKit.Kubernetes;

namespace ConsoleOperator.OnRealApiServer.Tests.Harness;

/// <summary>A folder without the API server's binaries fails with what to do, never with a skip or a bare "file not found".</summary>
public sealed class KubeAssetsTests
{
    [Theory]
    [InlineData("kube-apiserver")]
    [InlineData("etcd")]
    [InlineData("kubectl")]
    public void A_missing_binary_says_to_run_make_deps_or_set_kubebuilder_assets(string binary)
    {
        var empty = Directory.CreateTempSubdirectory("kube-assets-empty-").FullName;
        try
        {
            var assets = KubeAssets.In(empty);
            var missing = Assert.Throws<InvalidOperationException>(() => binary switch
            {
                "kube-apiserver" => assets.KubeApiServer,
                "etcd" => assets.Etcd,
                _ => assets.Kubectl,
            });

            Assert.Contains($"'{binary}' is not in {empty}", missing.Message, StringComparison.Ordinal);
            Assert.Contains("Run `make deps`", missing.Message, StringComparison.Ordinal);
            Assert.Contains("set KUBEBUILDER_ASSETS", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void The_configured_folder_has_all_three_binaries()
    {
        var assets = KubeAssets.Find();

        Assert.All(new[] { assets.KubeApiServer, assets.Etcd, assets.Kubectl }, path => Assert.True(File.Exists(path), path));
    }
}
