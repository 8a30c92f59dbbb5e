using System.Net;
using TestKit.FakeApiServer;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class Http2Tests
{
    [Fact]
    public async Task With_http2_enabled_a_second_port_serves_h2c_with_prior_knowledge()
    {
        await using var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { EnableHttp2 = true });
        using var http = new HttpClient();
        using var h2 = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Http2BaseAddress!, "/api/v1/namespaces/default"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var h1 = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "/api/v1/namespaces/default"));

        using var overH2 = await http.SendAsync(h2);
        using var overH1 = await http.SendAsync(h1);

        Assert.Equal(HttpVersion.Version20, overH2.Version);
        Assert.Equal(HttpStatusCode.OK, overH2.StatusCode);
        Assert.Equal(HttpVersion.Version11, overH1.Version);
        Assert.Equal(HttpStatusCode.OK, overH1.StatusCode);
    }

    [Fact]
    public async Task Without_http2_there_is_no_second_address()
    {
        await using var server = await FakeKubeApiServer.StartAsync();

        Assert.Null(server.Http2BaseAddress);
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
    }
}
