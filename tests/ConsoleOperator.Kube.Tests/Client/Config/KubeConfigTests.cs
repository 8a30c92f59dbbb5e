using System.Text;
using ConsoleOperator.Kube.Client.Config;
using ConsoleOperator.Kube.Tests.KubeClient.Support;

namespace ConsoleOperator.Kube.Tests.KubeClient.Config;

/// <summary>Kubeconfig loading as kubectl does it: merged files, first definition wins, paths relative to their file.</summary>
public sealed class KubeConfigTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly TestCertificates _pki = new();

    public void Dispose()
    {
        _directory.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task Several_files_merge_in_order_with_the_first_definition_and_current_context_winning()
    {
        _directory.Write("a/ca.crt", _pki.AuthorityPem);
        var first = _directory.Write("a/config", """
            current-context: dev
            clusters:
            - name: shared
              cluster:
                server: https://first.example:6443
                certificate-authority: ca.crt
            contexts:
            - name: dev
              context: {cluster: shared, user: dev-user, namespace: team-a}
            users:
            - name: dev-user
              user: {token: first-token}
            """);
        _directory.Write("b/secrets/token", "file-token\n");
        var second = _directory.Write("b/config", """
            current-context: prod
            clusters:
            - name: shared
              cluster: {server: https://second.example:6443}
            - name: prod
              cluster: {server: https://prod.example:6443, tls-server-name: kubernetes.default.svc}
            contexts:
            - name: dev
              context: {cluster: prod, user: nobody}
            - name: prod
              context: {cluster: prod, user: prod-user}
            users:
            - name: dev-user
              user: {token: second-token}
            - name: prod-user
              user: {tokenFile: secrets/token}
            """);

        var merged = KubeConfig.LoadFromEnvironment(name => name == "KUBECONFIG" ? $"{first}{Path.PathSeparator}{Path.Combine(_directory.Path, "missing")}{Path.PathSeparator}{second}" : null);
        var dev = merged.ToClientConfiguration();
        var prod = merged.ToClientConfiguration("prod");

        Assert.Equal("dev", merged.CurrentContext);
        Assert.Equal(new Uri("https://first.example:6443"), dev.Server);
        Assert.Equal("team-a", dev.Namespace);
        Assert.Equal(_pki.Authority.Thumbprint, Assert.Single(dev.CertificateAuthorities!).Thumbprint);
        Assert.Equal("first-token", await dev.Token!.GetTokenAsync(false, CancellationToken.None));
        Assert.Equal("kubernetes.default.svc", prod.ExpectedServerName);
        var tokenFile = Assert.IsType<FileTokenSource>(prod.Token);
        Assert.Equal(Path.Combine(_directory.Path, "b", "secrets", "token"), tokenFile.Path);
        Assert.Equal("file-token", await prod.Token!.GetTokenAsync(false, CancellationToken.None));
    }

    [Fact]
    public void Client_certificate_and_key_files_relative_to_the_kubeconfig_are_loaded_with_the_private_key()
    {
        var client = _pki.IssueClient("kube-admin", "system:masters");
        _directory.Write("pki/admin.crt", TestCertificates.CertificatePem(client));
        _directory.Write("pki/admin.key", TestCertificates.PrivateKeyPem(client));
        var path = _directory.Write("kube/config", """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: CA}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users: [{name: u, user: {client-certificate: ../pki/admin.crt, client-key: ../pki/admin.key}}]
            """.Replace("CA", Base64(_pki.AuthorityPem), StringComparison.Ordinal));

        var configuration = KubeConfig.LoadFiles([path]).ToClientConfiguration();

        Assert.NotNull(configuration.ClientCertificate);
        Assert.True(configuration.ClientCertificate!.HasPrivateKey);
        Assert.Equal(client.Thumbprint, configuration.ClientCertificate.Thumbprint);
        Assert.Null(configuration.Token);
    }

    [Fact]
    public void Inline_data_wins_over_a_file_path()
    {
        var yaml = $"""
            current-context: c
            clusters: [{"{"}name: k, cluster: {"{"}server: "https://127.0.0.1:6443", certificate-authority: /does/not/exist, certificate-authority-data: {Base64(_pki.AuthorityPem)}{"}}"}]
            contexts: [{"{"}name: c, context: {"{"}cluster: k{"}}"}]
            """;

        var configuration = KubeConfig.LoadText(yaml, _directory.Path).ToClientConfiguration();

        Assert.Single(configuration.CertificateAuthorities!);
    }

    [Fact]
    public void Insecure_skip_tls_verify_is_refused_with_a_clear_error()
    {
        const string yaml = """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
            contexts: [{name: c, context: {cluster: k}}]
            """;

        var error = Assert.Throws<InvalidOperationException>(() => KubeConfig.LoadText(yaml, _directory.Path).ToClientConfiguration());

        Assert.Contains("insecure-skip-tls-verify", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("current-context: nope\ncontexts: []", "no context 'nope'")]
    [InlineData("contexts: [{name: c, context: {cluster: k}}]", "no current-context")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]", "cluster 'k'")]
    [InlineData("current-context: c\nclusters: [{name: k, cluster: {server: 'ftp://x'}}]\ncontexts: [{name: c, context: {cluster: k}}]", "server URL")]
    [InlineData("current-context: c\nclusters: [{name: k, cluster: {server: 'https://x'}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]", "user 'u'")]
    [InlineData("current-context: c\nclusters: [{name: k, cluster: {server: 'https://x'}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {client-key-data: eA==}}]", "not both")]
    [InlineData("clusters: [ {name: broken", "not a valid kubeconfig")]
    public void Broken_kubeconfigs_fail_with_a_message_that_names_the_problem(string yaml, string expected)
    {
        var error = Assert.ThrowsAny<Exception>(() => KubeConfig.LoadText(yaml, _directory.Path).ToClientConfiguration());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_plugins_are_refused_rather_than_silently_ignored()
    {
        const string yaml = """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://x"}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users: [{name: u, user: {exec: {command: aws}}}]
            """;

        Assert.Throws<NotSupportedException>(() => KubeConfig.LoadText(yaml, _directory.Path).ToClientConfiguration());
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
