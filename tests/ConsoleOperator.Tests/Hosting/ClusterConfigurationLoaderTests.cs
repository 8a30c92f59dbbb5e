using ConsoleOperator.Hosting;

namespace ConsoleOperator.Tests.Hosting;

/// <summary>
/// `run --kubeconfig`: the library reads the file; what the loader adds is one actionable configuration error for
/// anything wrong, TLS verification that cannot be switched off included.
/// </summary>
public sealed class ClusterConfigurationLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cluster-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_kubeconfig_file_is_read_by_the_library_with_its_context_namespace_and_token()
    {
        var path = Write("""
            current-context: c
            clusters: [{name: k, cluster: {server: "http://127.0.0.1:8443"}}]
            contexts: [{name: c, context: {cluster: k, user: u, namespace: consoles}}]
            users: [{name: u, user: {token: operator-token}}]
            """);

        var configuration = ClusterConfigurationLoader.Load(path, _ => null);

        Assert.Equal("http://127.0.0.1:8443", configuration.Host.TrimEnd('/'));
        Assert.Equal("consoles", configuration.Namespace);
        Assert.Equal("operator-token", configuration.AccessToken);
    }

    [Fact]
    public void Insecure_skip_tls_verify_is_a_configuration_error()
    {
        var path = Write("""
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
            contexts: [{name: c, context: {cluster: k}}]
            """);

        var error = Assert.Throws<OperatorConfigurationException>(() => ClusterConfigurationLoader.Load(path, _ => null));

        Assert.Contains("insecure-skip-tls-verify", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_broken_kubeconfig_is_a_configuration_error_naming_it()
    {
        var missing = Path.Combine(_directory, "missing");
        var broken = Write("current-context: nope\ncontexts: []");

        Assert.Contains(missing, Assert.Throws<OperatorConfigurationException>(() => ClusterConfigurationLoader.Load(missing, _ => null)).Message, StringComparison.Ordinal);
        var error = Assert.Throws<OperatorConfigurationException>(() => ClusterConfigurationLoader.Load(broken, _ => null));
        Assert.Contains(broken, error.Message, StringComparison.Ordinal);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory, $"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, yaml);
        return path;
    }
}
