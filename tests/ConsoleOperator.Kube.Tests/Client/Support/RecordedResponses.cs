using System.Net;
using System.Net.Http.Headers;
using TestKit.Fixtures;

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
}
