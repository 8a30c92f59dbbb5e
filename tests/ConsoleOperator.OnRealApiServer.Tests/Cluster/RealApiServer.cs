using System.Globalization;
using System.Text.Json.Nodes;
using ConsoleOperator.OnRealApiServer.Tests.Yaml;
using TestKit.Kubernetes;
using TestKit.Repository;
using k8s;
using k8s.Models;

namespace ConsoleOperator.OnRealApiServer.Tests.Cluster;

/// <summary>
/// One real kube-apiserver (with etcd) for the whole collection, and what tests share on it: an admin client
/// (KubernetesClient, from the harness's kubeconfig), kubectl, fresh namespaces, and the repository's CRDs installed once.
/// </summary>
public sealed class RealApiServer : IAsyncLifetime
{
    public const string Group = "consoleoperator.dev";
    public const string Version = "v1alpha1";

    private readonly SemaphoreSlim _crdsInstalled = new(1, 1);
    private TestApiServer? _server;
    private Kubernetes? _client;
    private bool _crdsReady;
    private int _namespaces;

    public TestApiServer Server => _server ?? throw new InvalidOperationException("the API server is not started");

    /// <summary>A system:masters client, for arranging and asserting.</summary>
    public Kubernetes Admin => _client ?? throw new InvalidOperationException("the API server is not started");

    public Kubectl Kubectl => new(Server.Assets, Server.AdminKubeconfigPath);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await TestApiServer.StartAsync(TimeProvider.System, timeout.Token);
        _client = ClientFor(_server.AdminKubeconfigPath);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        _crdsInstalled.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public static Kubernetes ClientFor(string kubeconfig) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

    /// <summary>A new namespace named after the test (namespaces are never reused: without a controller-manager a deleted one stays Terminating).</summary>
    public async Task<string> CreateNamespaceAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _namespaces).ToString(CultureInfo.InvariantCulture)}";
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
        return name;
    }

    /// <summary>The CRDs of crds/ (server-side apply), each waited for until Established; once per server.</summary>
    public async Task InstallCrdsAsync(CancellationToken cancellationToken)
    {
        await _crdsInstalled.WaitAsync(cancellationToken);
        try
        {
            if (!_crdsReady)
            {
                foreach (var crd in await ReadCrdsAsync(cancellationToken))
                {
                    await ApplyCrdAsync(crd, cancellationToken);
                }

                foreach (var crd in await ReadCrdsAsync(cancellationToken))
                {
                    await WaitUntilEstablishedAsync(Name(crd), cancellationToken);
                }

                _crdsReady = true;
            }
        }
        finally
        {
            _crdsInstalled.Release();
        }
    }

    public static async Task<IReadOnlyList<JsonObject>> ReadCrdsAsync(CancellationToken cancellationToken)
    {
        var crds = new List<JsonObject>();
        foreach (var file in Directory.GetFiles(Checkout.File("crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            crds.AddRange(YamlDocuments.Parse(await File.ReadAllTextAsync(file, cancellationToken)));
        }

        return crds;
    }

    public async Task ApplyCrdAsync(JsonObject crd, CancellationToken cancellationToken) =>
        await Admin.ApiextensionsV1.PatchCustomResourceDefinitionAsync(
            new V1Patch(crd.ToJsonString(), V1Patch.PatchType.ApplyPatch), Name(crd), fieldManager: "real-api-server-tests", force: true,
            cancellationToken: cancellationToken);

    /// <summary>Waits until the CRD is Established and returns it (with its conditions) as the server has it.</summary>
    public async Task<V1CustomResourceDefinition> WaitUntilEstablishedAsync(string name, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var crd = await Admin.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken);
            if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return crd;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var conditions = string.Join("; ", crd.Status?.Conditions?.Select(c => $"{c.Type}={c.Status} {c.Reason}: {c.Message}") ?? []);
                throw new TimeoutException($"CRD {name} is not Established after 30 s: {conditions}");
            }
        }
    }

    private static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>()
        ?? throw new InvalidDataException($"an object without metadata.name: {obj.ToJsonString()}");
}
