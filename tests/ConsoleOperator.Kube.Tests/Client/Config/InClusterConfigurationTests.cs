using ConsoleOperator.Kube.Client.Configuration;
using ConsoleOperator.Kube.Tests.KubeClient.Support;

namespace ConsoleOperator.Kube.Tests.KubeClient.Config;

/// <summary>In-cluster configuration from the service-account volume (an injectable directory) and the service env vars.</summary>
public sealed class InClusterConfigurationTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private readonly TestCertificates _pki = new();

    public InClusterConfigurationTests()
    {
        _directory.Write("token", "sa-token\n");
        _directory.Write("ca.crt", _pki.AuthorityPem);
        _directory.Write("namespace", "operators");
    }

    public void Dispose()
    {
        _directory.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task The_service_account_volume_and_service_variables_make_the_configuration()
    {
        var configuration = InClusterConfiguration.Load(Environment("10.96.0.1", "6443"), _directory.Path, TimeProvider.System);

        Assert.Equal("https://10.96.0.1:6443/", configuration.Host);
        Assert.Equal("operators", configuration.Namespace);
        Assert.Equal(_pki.Authority.Thumbprint, Assert.Single(configuration.SslCaCerts).Thumbprint);
        var token = Assert.IsType<FileTokenProvider>(configuration.TokenProvider);
        Assert.Equal("Bearer sa-token", (await token.GetAuthenticationHeaderAsync(CancellationToken.None)).ToString());
        Assert.True(InClusterConfiguration.IsAvailable(Environment("10.96.0.1", "443"), _directory.Path));
    }

    [Fact]
    public void An_ipv6_service_address_is_bracketed()
    {
        var configuration = InClusterConfiguration.Load(Environment("fd00::1", "443"), _directory.Path, TimeProvider.System);

        Assert.Equal("https://[fd00::1]/", configuration.Host);
    }

    [Fact]
    public void Outside_a_cluster_loading_fails_clearly()
    {
        Assert.False(InClusterConfiguration.IsAvailable(_ => null, _directory.Path));
        var error = Assert.Throws<InvalidOperationException>(() => InClusterConfiguration.Load(_ => null, _directory.Path, TimeProvider.System));
        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_file_is_re_read_once_a_minute_has_passed_and_at_once_when_forced()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var source = new FileTokenProvider(Path.Combine(_directory.Path, "token"), clock);
        Assert.Equal("sa-token", await source.GetTokenAsync(false, CancellationToken.None));

        _directory.Write("token", "rotated-1");
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("sa-token", await source.GetTokenAsync(false, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("rotated-1", await source.GetTokenAsync(false, CancellationToken.None));

        _directory.Write("token", "rotated-2");
        Assert.Equal("rotated-1", await source.GetTokenAsync(false, CancellationToken.None));
        Assert.Equal("rotated-2", await source.GetTokenAsync(true, CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_token_file_is_an_error_not_an_empty_bearer()
    {
        _directory.Write("token", "  \n");
        var source = new FileTokenProvider(Path.Combine(_directory.Path, "token"), TimeProvider.System);

        await Assert.ThrowsAsync<InvalidOperationException>(() => source.GetTokenAsync(false, CancellationToken.None).AsTask());
    }

    private static Func<string, string?> Environment(string host, string port) => name => name switch
    {
        "KUBERNETES_SERVICE_HOST" => host,
        "KUBERNETES_SERVICE_PORT" => port,
        _ => null,
    };
}
