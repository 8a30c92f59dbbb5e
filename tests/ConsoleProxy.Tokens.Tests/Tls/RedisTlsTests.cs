using System.Globalization;
using System.Net;
using TestKit.Network;
using TestKit.Processes;
using TestKit.Tls;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Tls;

/// <summary>
/// The token store over TLS to a real redis-server (`tls-port`) whose certificate a private CA made in the test
/// signed: trusted through --redis-ca, the host name checked, client certificates when the server asks for them.
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-tls-test-").FullName;
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create("consoleproxy-test-redis-ca", TimeProvider.System);
    private readonly List<RedisServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task With_the_private_CA_the_store_works_over_TLS()
    {
        var tlsPort = await StartAsync(ServerCertificateFor127001(), clientCertificates: false);

        await using var store = await ConnectAsync(new TokenStoreOptions($"127.0.0.1:{tlsPort}") { CaFile = CaFile() });

        await StoresAndReadsAsync(store);
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused_at_start_naming_the_CA_option()
    {
        var tlsPort = await StartAsync(_authority.IssueServer("192.0.2.7", "redis.elsewhere.example"), clientCertificates: false);

        var refused = await Assert.ThrowsAsync<TokenStoreRefusedException>(
            () => ConnectAsync(new TokenStoreOptions($"127.0.0.1:{tlsPort}") { CaFile = CaFile() }));

        Assert.Equal(TokenStoreRefusal.TlsVerificationFailed, refused.Refusal);
        Assert.Contains("does not name the host connected to (127.0.0.1)", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("--redis-ca", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{tlsPort}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CA_that_did_not_sign_the_server_certificate_is_refused_at_start_naming_the_CA_option()
    {
        var tlsPort = await StartAsync(ServerCertificateFor127001(), clientCertificates: false);
        using var stranger = TestCertificateAuthority.Create("some-other-ca", TimeProvider.System);
        var strangerFile = stranger.WriteCertificate(Path.Combine(_directory, "stranger-ca.crt"));

        var refused = await Assert.ThrowsAsync<TokenStoreRefusedException>(
            () => ConnectAsync(new TokenStoreOptions($"127.0.0.1:{tlsPort}") { CaFile = strangerFile }));

        Assert.Equal(TokenStoreRefusal.TlsVerificationFailed, refused.Refusal);
        Assert.Contains("is not signed by the CA given (CN=some-other-ca)", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("--redis-ca", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_asks_for_a_client_certificate_accepts_the_one_given()
    {
        var tlsPort = await StartAsync(ServerCertificateFor127001(), clientCertificates: true);
        var (certificateFile, keyFile) = _authority.IssueClient("consoleproxy").Write(_directory, "client");

        await using var store = await ConnectAsync(new TokenStoreOptions($"127.0.0.1:{tlsPort}")
        {
            CaFile = CaFile(),
            ClientCertificateFile = certificateFile,
            ClientKeyFile = keyFile,
        });

        await StoresAndReadsAsync(store);
    }

    [Fact]
    public async Task A_server_that_asks_for_a_client_certificate_is_refused_at_start_without_one_naming_the_client_certificate_options()
    {
        var tlsPort = await StartAsync(ServerCertificateFor127001(), clientCertificates: true);

        var refused = await Assert.ThrowsAsync<TokenStoreRefusedException>(
            () => ConnectAsync(new TokenStoreOptions($"127.0.0.1:{tlsPort}") { CaFile = CaFile() }));

        Assert.Equal((TokenStoreRefusal.TlsVerificationFailed, true), (refused.Refusal, refused.ClientCertificateRefused));
        Assert.Contains("--redis-client-cert", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_probe_tells_a_server_that_wants_a_client_certificate_from_one_that_does_not(bool clientCertificates)
    {
        // The connect log catches the server's alert only when the alert beats the reset that follows it; the probe
        // asks the question itself, so a refusal never depends on that race.
        var tlsPort = await StartAsync(ServerCertificateFor127001(), clientCertificates);
        var options = new TokenStoreOptions($"127.0.0.1:{tlsPort}") { CaFile = CaFile() };

        var wants = await RedisTlsProbe.WantsClientCertificateAsync(options, new IPEndPoint(IPAddress.Loopback, tlsPort), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(clientCertificates, wants);
    }

    private IssuedCertificate ServerCertificateFor127001() => _authority.IssueServer("127.0.0.1", "localhost");

    private string CaFile() => _authority.WriteCertificate(Path.Combine(_directory, "ca.crt"));

    /// <summary>Starts a redis-server with a TLS port beside its plain one (kept for the test's own checks); returns the TLS port.</summary>
    private async Task<int> StartAsync(IssuedCertificate serverCertificate, bool clientCertificates)
    {
        var (certificateFile, keyFile) = serverCertificate.Write(_directory, $"server-{_servers.Count}");
        var tlsPort = FreeTcpPort.Next();
        var server = await RedisServer.StartAsync(extraArguments:
        [
            "--tls-port", tlsPort.ToString(CultureInfo.InvariantCulture),
            "--tls-cert-file", certificateFile,
            "--tls-key-file", keyFile,
            "--tls-ca-cert-file", CaFile(),
            "--tls-auth-clients", clientCertificates ? "yes" : "no",
        ]);
        _servers.Add(server);
        await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, tlsPort, TimeSpan.FromSeconds(10), () => $"redis-server's tls-port {tlsPort}");
        return tlsPort;
    }

    private static Task<RedisTokenStore> ConnectAsync(TokenStoreOptions options) =>
        RedisTokenStore.ConnectAsync(options with { ConnectTimeout = TimeSpan.FromSeconds(3) }, TimeProvider.System, CancellationToken.None);

    private static async Task StoresAndReadsAsync(RedisTokenStore store)
    {
        Assert.True(store.IsConnected);
        var hash = TokenHash.Of(AccessToken.Mint());
        await store.StoreAsync(hash, new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);
        Assert.True((await store.GetAsync(hash, CancellationToken.None)).IsFound);
    }
}
