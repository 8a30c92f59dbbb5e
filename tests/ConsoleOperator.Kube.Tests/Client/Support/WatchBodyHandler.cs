using System.Net;
using System.Net.Http.Headers;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>
/// Answers every request with a 200 whose body is the given stream, in the client's handler chain (behind the
/// transport handler, in front of the socket): a watch read by the real client and the library's reader, with a body
/// the test writes line by line (a pipe) while a fake clock drives the idle timeout.
/// </summary>
public sealed class WatchBodyHandler(Stream body) : DelegatingHandler
{
    private static readonly ResourceDescriptor Widgets = new ResourceDescriptor("example.dev", "v1", "widgets", "Widget");

    /// <summary>A widget watch in namespace demo over <paramref name="body"/>.</summary>
    public static IAsyncEnumerable<ConsoleOperator.Kube.Client.Watch.WatchEvent<UntypedObject>> Watch(
        Stream body, TimeSpan idleTimeout, TimeProvider clock, CancellationToken cancellationToken, out KubernetesClient client)
    {
        client = new KubernetesClient(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, null, clock, null, new WatchBodyHandler(body));
        return client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo")
            .WatchAsync(new WatchOptions { IdleTimeout = idleTimeout }, cancellationToken);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
