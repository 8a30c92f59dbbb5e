using TestKit.Repository;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.FakeApiServer;
using ConsoleOperator.Render;
using k8s;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;
using ResourceDescriptor = ConsoleOperator.Kube.Client.Resources.ResourceDescriptor;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>
/// The in-process fake API server with namespaces <c>default</c> and <c>consoles</c> and the operator's CRDs from
/// crds/*.yaml, an operator client (its own User-Agent, to tell its requests apart in the log) and a "kubectl"
/// client for what a person or the cluster's other controllers do.
/// </summary>
public sealed class ProxyTestCluster : IAsyncDisposable
{
    public const string Namespace = "consoles";

    public const string OperatorAgent = "console-operator-test/1.0";

    private readonly List<KubernetesClient> _clients = [];

    private ProxyTestCluster(FakeKubeApiServer server)
    {
        Server = server;
        Operator = NewClient(OperatorAgent);
        Kubectl = NewClient("kubectl-test/1.0");
    }

    public FakeKubeApiServer Server { get; }

    public KubernetesClient Operator { get; }

    public KubernetesClient Kubectl { get; }

    public ResourceClient<ConsoleProxyResource> Proxies => Kubectl.Resource(Api.ApiKinds.ConsoleProxies, EntityJson.TypeInfo<ConsoleProxyResource>(), Namespace);

    public static async Task<ProxyTestCluster> StartAsync()
    {
        var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { Namespaces = ["default", Namespace], TooLargeResourceVersionDelay = TimeSpan.Zero });
        var cluster = new ProxyTestCluster(server);
        await cluster.RegisterCrdsAsync();
        return cluster;
    }

    /// <summary>Another client, e.g. a second operator replica, told apart in the request log by its User-Agent.</summary>
    public KubernetesClient NewClient(string userAgent)
    {
        var client = new KubernetesClient(
            new KubernetesClientConfiguration { Host = Server.BaseAddress.ToString() },
            new KubernetesClientOptions { UserAgent = userAgent, RequestTimeout = TimeSpan.FromSeconds(10) });
        _clients.Add(client);
        return client;
    }

    public ResourceClient<T> Resource<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Kubectl.Resource(descriptor, typeInfo, Namespace);

    public Task<ConsoleProxyResource> CreateProxyAsync(ConsoleProxySpec spec, string name = "console") =>
        Proxies.CreateAsync(new ConsoleProxyResource { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace }, Spec = spec });

    /// <summary>Replaces the spec as `kubectl edit` would (the status subresource keeps the status).</summary>
    public async Task<ConsoleProxyResource> UpdateSpecAsync(string name, Func<ConsoleProxySpec, ConsoleProxySpec> change)
    {
        var current = await Proxies.GetAsync(name);
        return await Proxies.ReplaceAsync(current with { Spec = change(current.Spec), Status = null });
    }

    public Task<ConsoleProxyResource> GetProxyAsync(string name = "console") => Proxies.GetAsync(name);

    public Task<T?> GetAsync<T>(ResourceDescriptor descriptor, JsonTypeInfo<T> typeInfo, string name)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Resource(descriptor, typeInfo).GetOrDefaultAsync(name);

    /// <summary>What the Deployment controller and kubelets would report: <paramref name="ready"/> of the pods up to date and ready.</summary>
    public async Task SetDeploymentStatusAsync(string name, int ready, bool available = true)
    {
        var deployments = Resource(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>());
        var current = await deployments.GetAsync(name);
        var replicas = current.Spec?.Replicas ?? 1;
        var status = new JsonObject
        {
            ["observedGeneration"] = current.Metadata.Generation,
            ["replicas"] = replicas,
            ["updatedReplicas"] = replicas,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Available",
                ["status"] = available ? "True" : "False",
                ["reason"] = available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                ["message"] = "set by the test",
            }),
        };
        await deployments.MergePatchAsync(name, new JsonObject { ["status"] = status }, status: true);
    }

    public Task SettleRequestLogAsync() => Server.SettleRequestLogAsync();

    public Task ClearRequestLogAsync() => Server.ClearRequestLogAsync();

    /// <summary>The writes of the given client (default: the operator) since the log was cleared, events left out.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> WritesAsync(string userAgent = OperatorAgent)
    {
        await SettleRequestLogAsync();
        return [.. Server.Requests.Writes.Where(r => r.UserAgent == userAgent && !r.Path.Contains("/events", StringComparison.Ordinal))];
    }

    /// <summary>The events.k8s.io Events of the namespace, as JSON.</summary>
    public async Task<IReadOnlyList<JsonObject>> EventsAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var list = JsonNode.Parse(await http.GetStringAsync(new Uri($"/apis/events.k8s.io/v1/namespaces/{Namespace}/events", UriKind.Relative)))!;
        return [.. list["items"]!.AsArray().Select(item => item!.AsObject())];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }

    private async Task RegisterCrdsAsync()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        foreach (var file in Directory.GetFiles(Path.Combine(Checkout.Root, "crds"), "*.yaml"))
        {
            foreach (var document in YamlJsonReader.ReadDocuments(await File.ReadAllTextAsync(file)))
            {
                using var content = new StringContent(document.ToJsonString(), Encoding.UTF8);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
                using var response = await http.PostAsync(new Uri("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", UriKind.Relative), content);
                Assert.True((int)response.StatusCode == 201, $"registering {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
