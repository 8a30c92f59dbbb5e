using System.Text;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Fixtures;
using TestKit.Replay;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Watch;

/// <summary>
/// A watch refused with HTTP 410 at its start (a server or proxy may answer so instead of the in-stream ERROR the
/// recorded kube-apiserver sends) is the same relist signal: a <see cref="KubernetesApiException"/> that IsGone.
/// </summary>
public sealed class WatchHttpGoneTests : IAsyncLifetime
{
    private const string GoneStatus = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (196)","reason":"Expired","code":410}""";
    private ReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_HTTP_410_to_a_watch_is_a_gone_api_exception()
    {
        _server.Enqueue(new ReplayResponse { Status = 410, Headers = [new RecordedHeader("Content-Type", "application/json")], Body = Encoding.UTF8.GetBytes(GoneStatus) });
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
        var widgets = client.Resource(new ResourceDescriptor("example.dev", "v1", "widgets", "Widget"), EntityJson.TypeInfo<UntypedObject>(), "demo");

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var unused in widgets.WatchAsync(new WatchOptions { ResourceVersion = "1", IdleTimeout = TimeSpan.FromSeconds(30) }))
            {
                Assert.Fail("a refused watch yields nothing");
            }
        });

        Assert.Equal(410, error.Code);
        Assert.Equal("too old resource version: 1 (196)", error.Status.Message);
    }
}
