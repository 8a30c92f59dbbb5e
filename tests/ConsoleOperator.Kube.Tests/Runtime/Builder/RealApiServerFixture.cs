using System.Globalization;
using TestKit.Kubernetes;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Builder;

/// <summary>One real kube-apiserver (KUBEBUILDER_ASSETS) for the builder's tests, which keep apart by namespace.</summary>
public sealed class RealApiServerFixture : IAsyncLifetime
{
    private TestApiServer? _server;
    private Kubernetes? _admin;
    private int _namespaces;

    public TestApiServer Server => _server ?? throw new InvalidOperationException("the API server is not started");

    public KubernetesClientConfiguration Configuration => KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.AdminKubeconfigPath);

    public Kubernetes Admin => _admin ?? throw new InvalidOperationException("the API server is not started");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await TestApiServer.StartAsync(TimeProvider.System, timeout.Token);
        _admin = new Kubernetes(Configuration);
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public async Task<string> CreateNamespaceAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _namespaces).ToString(CultureInfo.InvariantCulture)}";
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
        return name;
    }
}
