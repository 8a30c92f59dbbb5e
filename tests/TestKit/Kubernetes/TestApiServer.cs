using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TestKit.Network;
using TestKit.Processes;

namespace TestKit.Kubernetes;

/// <summary>
/// A real Kubernetes API server for tests, as controller-runtime's envtest starts one: etcd and kube-apiserver from
/// <see cref="KubeAssets"/> on free loopback ports with a fresh data directory, RBAC on, an admin token in the
/// system:masters group, and an admin kubeconfig. Nothing else of a cluster runs: no controller-manager (no garbage
/// collection, namespaces stay Terminating), no scheduler or kubelet (Deployments never get Pods).
/// Start one per test collection (about 8 s); dispose stops both processes by PID and deletes the directory.
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    /// <summary>The issuer (and default audience) of the ServiceAccount tokens this server signs.</summary>
    public const string ServiceAccountIssuer = "https://kubernetes.default.svc.cluster.local";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _directory;
    private readonly ChildProcess _etcd;
    private readonly ChildProcess _apiServer;

    private TestApiServer(KubeAssets assets, string directory, ChildProcess etcd, ChildProcess apiServer, Uri server, string caPem, string adminKubeconfigPath)
    {
        Assets = assets;
        _directory = directory;
        _etcd = etcd;
        _apiServer = apiServer;
        Server = server;
        CaPem = caPem;
        AdminKubeconfigPath = adminKubeconfigPath;
    }

    public KubeAssets Assets { get; }

    /// <summary>https://127.0.0.1:PORT</summary>
    public Uri Server { get; }

    /// <summary>The CA that signed the serving certificate, for kubeconfigs of other identities.</summary>
    public string CaPem { get; }

    /// <summary>A kubeconfig of a system:masters user (file mode 0600).</summary>
    public string AdminKubeconfigPath { get; }

    /// <summary>A folder for a test's own files (kubeconfigs); deleted with the server.</summary>
    public string WorkDirectory => _directory;

    /// <summary>What the API server printed so far, for assertion messages.</summary>
    public string ApiServerOutput => _apiServer.Output;

    public static async Task<TestApiServer> StartAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var assets = KubeAssets.Find();
        var apiServerPath = assets.KubeApiServer;
        var etcdPath = assets.Etcd;
        var directory = Directory.CreateTempSubdirectory("kube-apiserver-test-").FullName;
        ChildProcess? etcd = null;
        ChildProcess? apiServer = null;
        try
        {
            var certificates = ApiServerCertificates.Create(time);
            var caFile = await WriteAsync(directory, "ca.crt", certificates.CaPem, cancellationToken);
            var servingCertificateFile = await WriteAsync(directory, "apiserver.crt", certificates.ServingCertificatePem, cancellationToken);
            var servingKeyFile = await WriteAsync(directory, "apiserver.key", certificates.ServingKeyPem, cancellationToken);
            var serviceAccountKeyFile = await WriteAsync(directory, "sa.key", certificates.ServiceAccountKeyPem, cancellationToken);
            var serviceAccountPublicKeyFile = await WriteAsync(directory, "sa.pub", certificates.ServiceAccountPublicKeyPem, cancellationToken);
            var adminToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            var tokenFile = await WriteAsync(directory, "tokens.csv", $"{adminToken},admin,admin,\"system:masters\"\n", cancellationToken);

            var etcdClientPort = FreeTcpPort.Next();
            var etcdPeerPort = FreeTcpPort.Next();
            etcd = ChildProcess.Start(etcdPath,
            [
                "--name", "test",
                "--data-dir", Path.Combine(directory, "etcd"),
                "--listen-client-urls", $"http://127.0.0.1:{etcdClientPort}",
                "--advertise-client-urls", $"http://127.0.0.1:{etcdClientPort}",
                "--listen-peer-urls", $"http://127.0.0.1:{etcdPeerPort}",
                "--initial-advertise-peer-urls", $"http://127.0.0.1:{etcdPeerPort}",
                "--initial-cluster", $"test=http://127.0.0.1:{etcdPeerPort}",
                "--initial-cluster-state", "new",
                // Test data need not survive a power cut; fsync is most of etcd's latency on a shared disk.
                "--unsafe-no-fsync",
            ], directory);
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, etcdClientPort, StartTimeout, () => etcd.Output);

            var port = FreeTcpPort.Next();
            apiServer = ChildProcess.Start(apiServerPath,
            [
                "--advertise-address=127.0.0.1",
                "--bind-address=127.0.0.1",
                $"--secure-port={port.ToString(CultureInfo.InvariantCulture)}",
                $"--etcd-servers=http://127.0.0.1:{etcdClientPort.ToString(CultureInfo.InvariantCulture)}",
                $"--cert-dir={Path.Combine(directory, "certs")}",
                $"--tls-cert-file={servingCertificateFile}",
                $"--tls-private-key-file={servingKeyFile}",
                $"--client-ca-file={caFile}",
                $"--token-auth-file={tokenFile}",
                $"--service-account-issuer={ServiceAccountIssuer}",
                $"--service-account-key-file={serviceAccountPublicKeyFile}",
                $"--service-account-signing-key-file={serviceAccountKeyFile}",
                "--service-cluster-ip-range=10.0.0.0/24",
                "--authorization-mode=RBAC",
                "--allow-privileged=true",
                "--endpoint-reconciler-type=none",
                "--profiling=false",
            ], directory);

            var server = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
            await WaitUntilReadyAsync(server, certificates.CaPem, adminToken, apiServer, cancellationToken);
            var kubeconfig = Path.Combine(directory, "admin.kubeconfig");
            await Kubeconfig.WriteAsync(kubeconfig, server, certificates.CaPem, "admin", adminToken, cancellationToken);
            return new TestApiServer(assets, directory, etcd, apiServer, server, certificates.CaPem, kubeconfig);
        }
        catch
        {
            await StopAsync(apiServer, etcd, directory);
            throw;
        }
    }

    /// <summary>An HttpClient that trusts this server's CA only (for raw requests the typed client lacks).</summary>
    public static HttpClient CreateHttpClient(string caPem, string token)
    {
        using var ca = X509Certificate2.CreateFromPem(caPem);
        var trusted = X509CertificateLoader.LoadCertificate(ca.RawData);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trusted);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return chain.Build(presented);
                },
            },
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync() => await StopAsync(_apiServer, _etcd, _directory);

    private static async Task WaitUntilReadyAsync(Uri server, string caPem, string token, ChildProcess apiServer, CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient(caPem, token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        string last = "no answer yet";
        while (true)
        {
            if (apiServer.HasExited)
            {
                throw new InvalidOperationException($"kube-apiserver exited with code {apiServer.ExitCode} before it was ready:\n{apiServer.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(server, "/readyz"), deadline.Token);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token)}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                // One request outlived the client's timeout (a loaded machine, a server still starting): ask again.
                last = e.Message;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"kube-apiserver at {server} was not ready after {StartTimeout} (last: {last}):\n{apiServer.Output}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"kube-apiserver at {server} was not ready after {StartTimeout} (last: {last}):\n{apiServer.Output}");
            }
        }
    }

    private static async Task StopAsync(ChildProcess? apiServer, ChildProcess? etcd, string directory)
    {
        if (apiServer is not null)
        {
            await apiServer.DisposeAsync();
        }

        if (etcd is not null)
        {
            await etcd.DisposeAsync();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of /tmp.
        }
    }

    private static async Task<string> WriteAsync(string directory, string name, string content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, content, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }
}
