using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Fixtures;
using TestKit.Replay;
using ConsoleOperator.Kube.Tests.KubeClient.Support;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Http;

/// <summary>TLS against a generated cluster CA: the configured CA is the only trust anchor, names are checked, mTLS works.</summary>
public sealed class TlsTests : IDisposable
{
    private static readonly ResourceDescriptor Widgets = new ResourceDescriptor("example.dev", "v1", "widgets", "Widget");

    // The idle timer runs from the request, so it also covers the connection's setup (a first TLS handshake in a test
    // process can take most of a second on a busy machine): long enough for that, short for a stall.
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);
    private readonly TestCertificates _cluster = new("cluster-ca");
    private readonly TestCertificates _stranger = new("some-other-ca");
    private readonly TemporaryDirectory _directory = new();

    public void Dispose()
    {
        _cluster.Dispose();
        _stranger.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_kubeconfig_client_certificate_user_talks_http2_to_a_server_of_the_configured_ca()
    {
        await using var server = await ReplayServer.StartAsync(new ReplayServerOptions
        {
            ServerCertificate = _cluster.IssueServer("127.0.0.1"),
            ClientCertificateAuthorities = [_cluster.Authority],
        });
        server.Enqueue(FixtureLibrary.Get("03-cr-crud/02-get-200"));
        var admin = _cluster.IssueClient("kube-admin", "system:masters");
        var path = _directory.Write("kubeconfig", KubeconfigText(server.BaseAddress, _cluster.AuthorityPem, admin));
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        using var client = new KubernetesClient(configuration);

        var widget = await client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetAsync("w1");

        Assert.Equal("w1", widget.Metadata.Name);
        var request = Assert.Single(server.Received);
        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Contains("CN=kube-admin", request.ClientCertificateSubject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_watch_over_http2_ends_in_the_idle_timeout_error()
    {
        await using var server = await ReplayServer.StartAsync(new ReplayServerOptions { ServerCertificate = _cluster.IssueServer("127.0.0.1") });
        server.Enqueue(ReplayResponse.Watch(FixtureLibrary.Get("11-watch/01-watch-timeout30").Response.WatchLines.Take(1).ToList(), WatchEnding.Stall));
        using var client = new KubernetesClient(Trusting(server.BaseAddress, _cluster.Authority));
        var seen = 0;

        var watch = async () =>
        {
            await foreach (var _ in client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo")
                .WatchAsync(new WatchOptions { ResourceVersion = "236", IdleTimeout = IdleTimeout }))
            {
                seen++;
            }
        };

        await Assert.ThrowsAsync<TimeoutException>(() => watch().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, seen);
        Assert.Equal("HTTP/2", Assert.Single(server.Received).Protocol);
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused()
    {
        await using var server = await ReplayServer.StartAsync(new ReplayServerOptions { ServerCertificate = _stranger.IssueServer("127.0.0.1") });
        server.Enqueue(FixtureLibrary.Get("03-cr-crud/02-get-200"));
        using var client = new KubernetesClient(Trusting(server.BaseAddress, _cluster.Authority));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetAsync("w1"));

        Assert.IsType<AuthenticationException>(error.InnerException);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused_unless_tls_server_name_names_it()
    {
        await using var server = await ReplayServer.StartAsync(new ReplayServerOptions { ServerCertificate = _cluster.IssueServer("kubernetes.default.svc") });
        server.Enqueue(FixtureLibrary.Get("03-cr-crud/02-get-200"));
        using (var byAddress = new KubernetesClient(Trusting(server.BaseAddress, _cluster.Authority)))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => byAddress.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetAsync("w1"));
        }

        var byNameConfiguration = Trusting(server.BaseAddress, _cluster.Authority);
        byNameConfiguration.TlsServerName = "kubernetes.default.svc";
        using var byName = new KubernetesClient(byNameConfiguration);
        var widget = await byName.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetAsync("w1");

        Assert.Equal("w1", widget.Metadata.Name);
    }

    [Fact]
    public async Task A_client_certificate_the_server_does_not_trust_gets_no_answer()
    {
        await using var server = await ReplayServer.StartAsync(new ReplayServerOptions
        {
            ServerCertificate = _cluster.IssueServer("127.0.0.1"),
            ClientCertificateAuthorities = [_cluster.Authority],
        });
        server.Enqueue(FixtureLibrary.Get("03-cr-crud/02-get-200"));
        var intruder = _stranger.IssueClient("intruder", "system:masters");
        var configuration = Trusting(server.BaseAddress, _cluster.Authority);
        configuration.ClientCertificateData = Base64(TestCertificates.CertificatePem(intruder));
        configuration.ClientCertificateKeyData = Base64(TestCertificates.PrivateKeyPem(intruder));
        using var client = new KubernetesClient(configuration);

        await Assert.ThrowsAnyAsync<Exception>(() => client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetAsync("w1"));

        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task The_service_account_token_file_goes_as_the_bearer_over_tls()
    {
        // What the library's InClusterConfig builds (it reads only the pod's fixed paths): the CA and the token file.
        await using var server = await ReplayServer.StartAsync(new ReplayServerOptions { ServerCertificate = _cluster.IssueServer("127.0.0.1") });
        var tokenPath = _directory.Write("serviceaccount/token", "token-1\n");
        var configuration = Trusting(server.BaseAddress, _cluster.Authority);
        configuration.TokenProvider = new k8s.Authentication.TokenFileAuth(tokenPath);
        using var client = new KubernetesClient(configuration);
        server.Enqueue(FixtureLibrary.Get("16-auth-errors/12-sa-token-list-widgets-after-rbac-200"));

        await client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").ListAsync();

        Assert.Equal(["Bearer token-1"], server.Received.Select(r => r.Header("Authorization")));
    }

    private static KubernetesClientConfiguration Trusting(Uri server, X509Certificate2 authority) =>
        new() { Host = server.ToString(), SslCaCerts = new X509Certificate2Collection(authority) };

    private static string KubeconfigText(Uri server, string caPem, X509Certificate2 client) => $"""
        apiVersion: v1
        kind: Config
        current-context: test
        clusters:
        - name: test
          cluster:
            server: {server}
            certificate-authority-data: {Base64(caPem)}
        users:
        - name: admin
          user:
            client-certificate-data: {Base64(TestCertificates.CertificatePem(client))}
            client-key-data: {Base64(TestCertificates.PrivateKeyPem(client))}
        contexts:
        - name: test
          context:
            cluster: test
            user: admin
            namespace: demo
        """;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
