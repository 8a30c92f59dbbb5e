using TestKit.Time;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TestKit.FakeApiServer;
using TestKit.Fixtures;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

/// <summary>
/// A started fake with a manual clock, namespace <c>demo</c> and the recorded Widget CRD, plus raw HTTP helpers
/// (the tests talk JSON over HTTP, as any client would).
/// </summary>
public sealed class FakeApiServerHarness : IAsyncDisposable
{
    public const string Widgets = "/apis/example.dev/v1/namespaces/demo/widgets";

    private FakeApiServerHarness(FakeKubeApiServer server, ManualTimeProvider clock)
    {
        Server = server;
        Clock = clock;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.UserAgent.ParseAdd("harness/1.0");
    }

    public FakeKubeApiServer Server { get; }

    public ManualTimeProvider Clock { get; }

    public HttpClient Http { get; }

    public static async Task<FakeApiServerHarness> StartAsync(bool withWidgetCrd = true)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var server = await FakeKubeApiServer.StartAsync(new FakeApiServerOptions { TimeProvider = clock, Namespaces = ["default", "demo"], TooLargeResourceVersionDelay = TimeSpan.Zero });
        var harness = new FakeApiServerHarness(server, clock);
        if (withWidgetCrd)
        {
            var crd = FixtureLibrary.Get("02-crd-create/01-create-crd").Request.BodyText!;
            var (status, _) = await harness.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
            Assert.Equal(201, status);
        }

        return harness;
    }

    public async Task<(int Status, JsonObject Body)> SendAsync(HttpMethod method, string target, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, target);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public Task<(int Status, JsonObject Body)> CreateWidgetAsync(string name, int size = 1, string? extraMetadata = null) =>
        SendAsync(HttpMethod.Post, Widgets, WidgetJson(name, size, extraMetadata));

    public static string WidgetJson(string name, int size = 1, string? extraMetadata = null)
    {
        var metadata = extraMetadata is null ? $"\"name\":\"{name}\"" : $"\"name\":\"{name}\",{extraMetadata}";
        return "{\"apiVersion\":\"example.dev/v1\",\"kind\":\"Widget\",\"metadata\":{" + metadata + "},\"spec\":{\"size\":" + size + ",\"target\":\"t\"}}";
    }

    public Task<(int Status, JsonObject Body)> GetWidgetAsync(string name) => SendAsync(HttpMethod.Get, $"{Widgets}/{name}");

    public Task<(int Status, JsonObject Body)> PatchAsync(string target, string body, string contentType) => SendAsync(HttpMethod.Patch, target, body, contentType);

    public Task<(int Status, JsonObject Body)> ApplyAsync(string target, string body, string manager, bool force = false) =>
        SendAsync(HttpMethod.Patch, $"{target}?fieldManager={manager}{(force ? "&force=true" : string.Empty)}", body, "application/apply-patch+yaml");

    public static string Rv(JsonObject obj) => (string)obj["metadata"]!["resourceVersion"]!;

    public static long Generation(JsonObject obj) => (long)obj["metadata"]!["generation"]!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
