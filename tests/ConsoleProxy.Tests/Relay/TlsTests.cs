using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Relay;

public sealed class TlsTests(RedisFixture redis) : IClassFixture<RedisFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("consoleproxy-tls-").FullName;

    [Fact]
    public async Task With_a_PEM_certificate_and_key_the_proxy_serves_wss_and_https_pages()
    {
        var (certificate, certPath, keyPath) = await CreateCertificateAsync();
        using var _ = certificate;
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { CertificatePath = certPath, KeyPath = keyPath, SslOnly = true });
        var token = await proxy.MintAsync(target.Target);
        bool Trust(object sender, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors) =>
            presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}", "wss"), options =>
        {
            options.RemoteCertificateValidationCallback = Trust;
            options.SetRequestHeader("Origin", $"https://127.0.0.1:{proxy.Port}");
        });
        await ProxyClient.SendAsync(client, [1, 2, 3]);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, chain, errors) => Trust(this, presented, chain, errors) };
        using var http = new HttpClient(handler);
        using var page = await http.GetAsync(proxy.Url("/vnc_lite.html", "https"));

        Assert.Equal(new byte[] { 1, 2, 3 }, await ProxyClient.ReceiveExactlyAsync(client, 3));
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Over_TLS_a_WebSocket_on_HTTP_2_is_relayed_like_one_on_HTTP_1_1()
    {
        // Chromium opens its console WebSocket on the page's HTTP/2 connection when it can (RFC 8441).
        var (certificate, certPath, keyPath) = await CreateCertificateAsync();
        using var _ = certificate;
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { CertificatePath = certPath, KeyPath = keyPath });
        var token = await proxy.MintAsync(target.Target);
        using var handler = new System.Net.Http.SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var invoker = new System.Net.Http.HttpMessageInvoker(handler);
        using var client = new System.Net.WebSockets.ClientWebSocket();
        client.Options.HttpVersion = System.Net.HttpVersion.Version20;
        client.Options.HttpVersionPolicy = System.Net.Http.HttpVersionPolicy.RequestVersionExact;
        client.Options.CollectHttpResponseDetails = true;
        client.Options.SetRequestHeader("Origin", $"https://127.0.0.1:{proxy.Port}");
        await client.ConnectAsync(proxy.Url($"/websockify?token={token}", "wss"), invoker, CancellationToken.None);

        var data = new byte[300_000];
        Random.Shared.NextBytes(data);
        var receiving = ProxyClient.ReceiveExactlyAsync(client, data.Length);
        await ProxyClient.SendAsync(client, data);

        Assert.Equal(System.Net.HttpStatusCode.OK, client.HttpStatusCode);
        Assert.Equal(data, await receiving);
        await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task A_renewed_certificate_swapped_in_as_the_kubelet_does_serves_new_connections_without_a_restart()
    {
        // The kubelet's Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/, swapped atomically on renewal.
        var first = await WriteSecretVersionAsync("..2026_12_06_01");
        var volume = Path.Combine(_directory, "volume");
        Directory.CreateDirectory(volume);
        PointData(volume, first.Directory);
        File.CreateSymbolicLink(Path.Combine(volume, "tls.crt"), Path.Combine("..data", "tls.crt"));
        File.CreateSymbolicLink(Path.Combine(volume, "tls.key"), Path.Combine("..data", "tls.key"));
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var proxy = await TestProxy.StartAsync(
            redis.Server,
            options => options with { CertificatePath = Path.Combine(volume, "tls.crt"), KeyPath = Path.Combine(volume, "tls.key") },
            clock);
        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(proxy));

        var second = await WriteSecretVersionAsync("..2026_12_06_02");
        PointData(volume, second.Directory);
        var beforeTheCheck = await PresentedThumbprintAsync(proxy);
        clock.Advance(ConsoleProxy.Reloading.ReloadingCertificate.CheckInterval);
        var afterTheCheck = await PresentedThumbprintAsync(proxy);

        var broken = Path.Combine(_directory, "..2026_12_06_03");
        Directory.CreateDirectory(broken);
        await File.WriteAllTextAsync(Path.Combine(broken, "tls.crt"), "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        await File.WriteAllTextAsync(Path.Combine(broken, "tls.key"), "half-written");
        PointData(volume, broken);
        clock.Advance(ConsoleProxy.Reloading.ReloadingCertificate.CheckInterval);
        var afterABrokenRenewal = await PresentedThumbprintAsync(proxy);

        Assert.Equal(first.Thumbprint, beforeTheCheck);
        Assert.Equal(second.Thumbprint, afterTheCheck);
        Assert.Contains("changed: new connections get CN=127.0.0.1", proxy.Logs.All, StringComparison.Ordinal);
        Assert.Equal(second.Thumbprint, afterABrokenRenewal);
        Assert.Contains("cannot be loaded", proxy.Logs.All, StringComparison.Ordinal);
        Assert.Contains("still serving the previous certificate", proxy.Logs.All, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(string Directory, string Thumbprint)> WriteSecretVersionAsync(string name)
    {
        var directory = Path.Combine(_directory, name);
        Directory.CreateDirectory(directory);
        var (certificate, certPath, keyPath) = await CreateCertificateAsync();
        using var _ = certificate;
        File.Move(certPath, Path.Combine(directory, "tls.crt"));
        File.Move(keyPath, Path.Combine(directory, "tls.key"));
        return (directory, certificate.GetCertHashString());
    }

    /// <summary>Points volume/..data at <paramref name="target"/> by renaming a new link over it, as atomically as the kubelet.</summary>
    private static void PointData(string volume, string target)
    {
        var staging = Path.Combine(volume, "..data_tmp");
        File.CreateSymbolicLink(staging, target);

        // rename(2) of the link itself; File.Move follows a link to a directory and refuses it.
        using var rename = System.Diagnostics.Process.Start("mv", ["-T", "-f", staging, Path.Combine(volume, "..data")]);
        rename.WaitForExit();
        Assert.Equal(0, rename.ExitCode);
    }

    /// <summary>The certificate a brand-new TLS connection to the proxy is offered.</summary>
    private static async Task<string> PresentedThumbprintAsync(TestProxy proxy)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, proxy.Port);
        // Which certificate is offered is the question here, not whether it is trusted: any is accepted to read it.
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, presented, _, _) => presented is not null);
        await tls.AuthenticateAsClientAsync("127.0.0.1");
        return tls.RemoteCertificate!.GetCertHashString();
    }

    private async Task<(X509Certificate2 Certificate, string CertPath, string KeyPath)> CreateCertificateAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var certPath = Path.Combine(_directory, "tls.crt");
        var keyPath = Path.Combine(_directory, "tls.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificate, certPath, keyPath);
    }
}
