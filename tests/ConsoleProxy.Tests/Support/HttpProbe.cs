using System.Net;

namespace ConsoleProxy.Tests.Support;

/// <summary>Plain HTTP requests to the proxy (probes, pages), as a kubelet or a scraper makes them.</summary>
public static class HttpProbe
{
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string pathAndQuery, Action<HttpRequestMessage>? configure = null)
    {
        using var http = new HttpClient { Timeout = ProxyClient.Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}{pathAndQuery}"));
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
