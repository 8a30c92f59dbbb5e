using System.Net;
using System.Net.Http.Headers;
using ConsoleOperator.Kube.Client;
using TestKit.Fixtures;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Support;

/// <summary>Turns a recorded response into the HttpResponseMessage the client's readers consume.</summary>
public static class RecordedResponses
{
    public static HttpResponseMessage ToMessage(RecordedResponse recorded)
    {
        var body = recorded.Body ?? recorded.StreamRaw ?? (recorded.StreamChunked is null ? [] : ChunkedEncoding.Decode(recorded.StreamChunked));
        var message = new HttpResponseMessage((HttpStatusCode)recorded.Status)
        {
            ReasonPhrase = recorded.ReasonPhrase,
            Content = new ByteArrayContent(body),
        };
        foreach (var header in recorded.Headers)
        {
            if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
            }
            else if (!header.Name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                && !header.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        return message;
    }

    /// <summary>
    /// A client whose every request is answered with <paramref name="response"/>, in its handler chain (behind the
    /// transport handler, in front of the socket): the answer is read exactly as the verb reads a server's.
    /// </summary>
    public static KubernetesClient ClientAnswering(HttpResponseMessage response) =>
        new(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, handlers: new Answer(response));

    private sealed class Answer(HttpResponseMessage response) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
