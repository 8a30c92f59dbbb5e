using System.Text;
using ConsoleOperator.Kube.Client;
using k8s;
using ConsoleOperator.Kube.Tests.KubeClient.Support;
using k8s.Exceptions;

namespace ConsoleOperator.Kube.Tests.KubeClient.Config;

/// <summary>
/// Kubeconfig loading is the KubernetesClient library's (BuildConfigFromConfigFile, as the operator's --kubeconfig
/// uses it): these pin what we rely on (paths relative to the file, inline data, exec plugins, clear errors) and the
/// one thing we add, the refusal of insecure-skip-tls-verify (<see cref="KubernetesClient.RequireVerifiedTls"/>).
/// </summary>
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
    public void Client_certificate_and_key_files_relative_to_the_kubeconfig_are_resolved_against_its_directory()
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

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);

        Assert.Equal(Path.Combine(_directory.Path, "pki", "admin.crt"), Path.GetFullPath(configuration.ClientCertificateFilePath));
        Assert.Equal(Path.Combine(_directory.Path, "pki", "admin.key"), Path.GetFullPath(configuration.ClientKeyFilePath));
        Assert.Null(configuration.TokenProvider);
        Assert.Null(configuration.AccessToken);
        // The library builds the handler's client certificate from those paths: a wrong path fails right here.
        using var kubernetes = new k8s.Kubernetes(configuration);
    }

    [Fact]
    public void Inline_data_wins_over_a_file_path()
    {
        var path = _directory.Write("config", $$$"""
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", certificate-authority: /does/not/exist, certificate-authority-data: {{{Base64(_pki.AuthorityPem)}}}}}]
            contexts: [{name: c, context: {cluster: k}}]
            """);

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);

        Assert.Single(configuration.SslCaCerts);
    }

    [Fact]
    public void Insecure_skip_tls_verify_is_refused_with_a_clear_error()
    {
        var path = _directory.Write("config", """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}}]
            contexts: [{name: c, context: {cluster: k}}]
            """);

        var error = Assert.Throws<InvalidOperationException>(() => KubernetesClient.RequireVerifiedTls(KubernetesClientConfiguration.BuildConfigFromConfigFile(path)));

        Assert.Contains("insecure-skip-tls-verify", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("current-context: nope\ncontexts: []", "nope")]
    [InlineData("current-context: c\ncontexts: [{name: c, context: {cluster: k}}]", "k")]
    [InlineData("current-context: c\nclusters: [{name: k, cluster: {server: 'https://x'}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]", "User not found for context c")]
    [InlineData("current-context: c\nclusters: [{name: k, cluster: {server: 'https://x'}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {client-key-data: eA==}}]", "User: u does not have appropriate auth credentials")]
    [InlineData("clusters: [ {name: broken", "did not find")]
    public void Broken_kubeconfigs_fail_with_a_message_that_names_the_problem(string yaml, string expected)
    {
        var path = _directory.Write("config", yaml);

        var error = Assert.ThrowsAny<Exception>(() => KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_kubeconfig_names_the_file()
    {
        var missing = Path.Combine(_directory.Path, "nothing-here");

        var error = Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigFile(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_exec_plugin_is_run_by_the_library_and_its_token_sent_as_the_bearer()
    {
        var plugin = _directory.Write("bin/token-plugin", """
            #!/bin/sh
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-the-plugin"}}'
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var path = _directory.Write("config", $$$"""
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: {{{Base64(_pki.AuthorityPem)}}}}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: {{{plugin}}}, interactiveMode: Never} } }]
            """);

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        var credentials = k8s.Kubernetes.CreateCredentials(configuration);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://127.0.0.1:6443/api");
        await credentials.ProcessHttpRequestAsync(request, CancellationToken.None);

        Assert.Equal("Bearer from-the-plugin", request.Headers.Authorization?.ToString());
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
