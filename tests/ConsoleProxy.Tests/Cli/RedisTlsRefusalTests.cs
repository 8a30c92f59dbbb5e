using System.Globalization;
using System.Net;
using TestKit.Processes;
using TestKit.Tls;

namespace ConsoleProxy.Tests.Cli;

/// <summary>
/// `consoleproxy serve` against a real redis-server on TLS whose certificate a private CA signed: a --redis-ca that
/// did not sign it, or a missing client certificate the server asks for, stops start-up with one line (exit 1).
/// </summary>
public sealed class RedisTlsRefusalTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("redis-tls-cli-test-").FullName;
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create("consoleproxy-test-redis-ca", TimeProvider.System);
    private RedisServer? _redis;
    private int _tlsPort;

    public async Task InitializeAsync()
    {
        var (certificateFile, keyFile) = _authority.IssueServer("127.0.0.1", "localhost").Write(_directory, "server");
        _tlsPort = FreeTcpPort.Next();
        _redis = await RedisServer.StartAsync(extraArguments:
        [
            "--tls-port", _tlsPort.ToString(CultureInfo.InvariantCulture),
            "--tls-cert-file", certificateFile,
            "--tls-key-file", keyFile,
            "--tls-ca-cert-file", _authority.WriteCertificate(Path.Combine(_directory, "ca.crt")),
            "--tls-auth-clients", "yes",
        ]);
        await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, _tlsPort, TimeSpan.FromSeconds(10), () => $"redis-server's tls-port {_tlsPort}");
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Serve_with_a_CA_that_did_not_sign_the_server_certificate_exits_1_naming_the_CA_option()
    {
        using var stranger = TestCertificateAuthority.Create("some-other-ca", TimeProvider.System);
        var strangerFile = stranger.WriteCertificate(Path.Combine(_directory, "stranger.crt"));

        var (exitCode, _, error) = await ServeAsync("--redis-ca", strangerFile);

        Assert.Equal(1, exitCode);
        Assert.True(error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, error);
        Assert.Contains("cannot start (TlsVerificationFailed)", error, StringComparison.Ordinal);
        Assert.Contains("--redis-ca", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_without_the_client_certificate_the_server_asks_for_exits_1_naming_the_client_certificate_options()
    {
        var (exitCode, _, error) = await ServeAsync("--redis-ca", Path.Combine(_directory, "ca.crt"));

        Assert.Equal(1, exitCode);
        Assert.True(error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, error);
        Assert.Contains("--redis-client-cert", error, StringComparison.Ordinal);
        Assert.Contains("certificate required", error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> ServeAsync(params string[] tlsOptions) =>
        CliRunner.RunAsync(["serve", "--host", "127.0.0.1", "--port", "0", "--redis", $"127.0.0.1:{_tlsPort}", .. tlsOptions]);
}
