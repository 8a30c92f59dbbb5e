using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.FakeApiServer;
using TestKit.Fixtures;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;
using ResourceDescriptor = ConsoleOperator.Kube.Client.Resources.ResourceDescriptor;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>
/// A fake API server on loopback (real time) with namespace <c>demo</c> and the recorded Widget CRD (status
/// subresource, conditions as a list-map), plus clients of our own Kubernetes client pointed at it.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string Namespace = "demo";

    public static readonly ResourceDescriptor WidgetResource = new ResourceDescriptor("example.dev", "v1", "widgets", "Widget");

    private readonly List<KubernetesClient> _clients = [];

    private TestCluster(FakeKubeApiServer server)
    {
        Server = server;
        Client = NewClient("test-client/1.0");
    }

    public FakeKubeApiServer Server { get; }

    /// <summary>The client the code under test uses (User-Agent <c>test-client</c>).</summary>
    public KubernetesClient Client { get; }

    public ResourceClient<UntypedObject> Widgets => Client.Resource(WidgetResource, EntityJson.TypeInfo<UntypedObject>(), Namespace);

    public ResourceClient<V1ConfigMap> ConfigMaps => Client.Resource(KnownResources.ConfigMap, EntityJson.TypeInfo<V1ConfigMap>(), Namespace);

    public static async Task<TestCluster> StartAsync()
    {
        var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { Namespaces = ["default", Namespace], TooLargeResourceVersionDelay = TimeSpan.Zero });
        var cluster = new TestCluster(server);
        var crd = FixtureLibrary.Get("02-crd-create/01-create-crd").Request.BodyText!;
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var content = new StringContent(crd, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await http.PostAsync(new Uri("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", UriKind.Relative), content);
        Assert.Equal(201, (int)response.StatusCode);
        return cluster;
    }

    /// <summary>Another client (e.g. a second operator replica), told apart in the request log by its User-Agent.</summary>
    public KubernetesClient NewClient(string userAgent)
    {
        var client = new KubernetesClient(
            new KubernetesClientConfiguration { Host = Server.BaseAddress.ToString() },
            new KubernetesClientOptions { UserAgent = userAgent, RequestTimeout = TimeSpan.FromSeconds(10) });
        _clients.Add(client);
        return client;
    }

    public Task<UntypedObject> CreateWidgetAsync(string name, int size = 1, IEnumerable<string>? finalizers = null)
    {
        var metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Finalizers = finalizers?.ToList() };
        var widget = new UntypedObject
        {
            ApiVersion = WidgetResource.ApiVersion,
            Kind = WidgetResource.Kind,
            Metadata = metadata,
            Fields = new Dictionary<string, JsonElement> { ["spec"] = JsonSerializer.SerializeToElement(new JsonObject { ["size"] = size, ["target"] = "t" }, EntityJson.TypeInfo<JsonNode>()) },
        };
        return Widgets.CreateAsync(widget);
    }

    /// <summary>
    /// Waits until the server has logged every request answered so far (see <see cref="FakeKubeApiServer.SettleRequestLogAsync"/>),
    /// then a little longer for requests of other clients still being answered.
    /// </summary>
    public async Task SettleRequestLogAsync()
    {
        await Server.SettleRequestLogAsync();
        await Task.Delay(50);
    }

    /// <summary>Every request logged so far (after settling), without the settling requests themselves.</summary>
    public async Task<IReadOnlyList<LoggedRequest>> SettledRequestsAsync()
    {
        await SettleRequestLogAsync();
        return [.. Server.Requests.Entries.Where(r => r.UserAgent?.StartsWith(FakeKubeApiServer.SettleAgentPrefix, StringComparison.Ordinal) != true)];
    }

    /// <summary>Empties the request log once every earlier request is in it (so none lands after the clear).</summary>
    public async Task ClearRequestLogAsync()
    {
        await SettleRequestLogAsync();
        Server.Requests.Clear();
    }

    /// <summary>Writes (anything but GET) since the log was last cleared, leaving out the given paths' prefixes.</summary>
    public IReadOnlyList<LoggedRequest> Writes(params string[] exceptPathsContaining) =>
        [.. Server.Requests.Writes.Where(request => !exceptPathsContaining.Any(part => request.Path.Contains(part, StringComparison.Ordinal)))];

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }
}
