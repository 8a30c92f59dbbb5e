using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Watch;
using TestKit.Fixtures;
using TestKit.Replay;
using ConsoleOperator.Kube.Tests.KubeClient.Support;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.EndToEnd;

/// <summary>
/// Each recorded exchange the client can express, re-enacted over real HTTP against the replay server: the request
/// must match what the real server was sent, and the recorded answer must come back as the right result or error.
/// </summary>
public sealed class ReplayedExchangeTests
{
    public static TheoryData<string> ExpressibleExchanges()
    {
        var data = new TheoryData<string>();
        foreach (var exchange in FixtureLibrary.All.Where(e => ReplayedCall.For(e) is not null))
        {
            data.Add(exchange.Dir);
        }

        return data;
    }

    [Fact]
    public void Most_recorded_resource_exchanges_are_expressible_with_the_client()
    {
        // Guards the filter: if it silently excluded everything, the theory below would prove nothing.
        Assert.True(ExpressibleExchanges().Count >= 150, $"only {ExpressibleExchanges().Count} exchanges are replayed");
    }

    [Theory]
    [MemberData(nameof(ExpressibleExchanges))]
    public async Task The_client_sends_what_the_real_server_got_and_reads_what_it_answered(string dir)
    {
        var exchange = FixtureLibrary.Get(dir);
        var call = ReplayedCall.For(exchange)!;
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(exchange);
        var bearer = exchange.Request.Headers.Find("Authorization");
        using var client = new KubernetesClient(new KubernetesClientConfiguration
        {
            Host = server.BaseAddress.ToString(),
            AccessToken = bearer is null ? null : bearer["Bearer ".Length..],
        });
        var resource = client.Resource(call.Descriptor, EntityJson.TypeInfo<UntypedObject>(), call.Namespace);

        object? result = null;
        Exception? error = null;
        try
        {
            result = await call.Invoke(resource);
        }
        catch (KubernetesApiException e)
        {
            error = e;
        }

        var received = Assert.Single(server.Received);
        AssertSameRequest(exchange.Request, received);
        AssertOutcome(exchange, result, error);
    }

    private static void AssertSameRequest(RecordedRequest expected, ReceivedRequest actual)
    {
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.Path, actual.Path);
        // The recorder (curl) sent watch=1, the library sends watch=true: the same boolean to the server (Go's ParseBool).
        static KeyValuePair<string, string> Boolean(KeyValuePair<string, string> p) => p is { Key: "watch", Value: "1" } ? new(p.Key, "true") : p;
        Assert.Equal(
            ReceivedRequest.ParseQuery(expected.Query).Select(Boolean).OrderBy(p => p.Key, StringComparer.Ordinal),
            actual.Query.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Headers.Find("Accept"), actual.Header("Accept"));
        Assert.Equal(expected.Headers.Find("Authorization"), actual.Header("Authorization"));
        Assert.StartsWith("console-operator/", actual.Header("User-Agent"), StringComparison.Ordinal);
        if (expected.Body is null)
        {
            Assert.Empty(actual.Body);
            return;
        }

        Assert.Equal(expected.ContentType, actual.Header("Content-Type"));
        var sent = JsonNode.Parse(expected.Body);
        var got = JsonNode.Parse(actual.Body);
        if (sent is JsonObject sentObject && !sentObject.ContainsKey("metadata") && got is JsonObject gotObject
            && gotObject["metadata"]?.ToJsonString() == "{}")
        {
            // A review object (SelfSubjectAccessReview) has no metadata; the generic model always writes an empty one, which the server accepts.
            gotObject.Remove("metadata");
        }

        Assert.True(JsonNode.DeepEquals(sent, got), $"body differs:\nexpected {sent!.ToJsonString()}\nactual   {got!.ToJsonString()}");
    }

    private static void AssertOutcome(RecordedExchange exchange, object? result, Exception? error)
    {
        if (exchange.Status >= 400)
        {
            var apiError = Assert.IsAssignableFrom<KubernetesApiException>(error);
            Assert.Equal(exchange.Status, apiError.Code);
            return;
        }

        if (exchange.IsWatch)
        {
            var lines = exchange.Response.WatchLines;
            if (lines.Any(l => l.Contains("\"type\":\"ERROR\"", StringComparison.Ordinal)))
            {
                Assert.True(Assert.IsType<KubernetesApiException>(error).IsGone);
                return;
            }

            Assert.Null(error);
            Assert.Equal(lines.Count, Assert.IsType<List<object>>(result).Count);
            return;
        }

        Assert.Null(error);
        var recorded = JsonNode.Parse(exchange.Response.Body!)!;
        var recordedVersion = (string?)recorded["metadata"]?["resourceVersion"];
        if (exchange.Method == "DELETE")
        {
            // A Status answer means the object went at once (null); otherwise the object comes back, held by finalizers.
            Assert.Equal((string?)recorded["kind"] == "Status", result is null);
        }

        switch (result)
        {
            case ResourceList<UntypedObject> list:
                Assert.Equal(recordedVersion, list.Metadata.ResourceVersion);
                Assert.Equal(recorded["items"]!.AsArray().Count, list.Items.Count);
                break;
            case UntypedObject obj:
                Assert.Equal(recordedVersion, obj.Metadata.ResourceVersion);
                Assert.Equal((string?)recorded["metadata"]?["name"], obj.Metadata.Name);
                break;
            case null when exchange.Method == "DELETE":
                break;
            default:
                Assert.Fail($"unexpected result {result?.GetType().Name ?? "null"}");
                break;
        }
    }
}
