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

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
