using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Transport;
using ConsoleOperator.Kube.Client.Watch;
using TestKit.Fixtures;
using ConsoleOperator.Kube.Tests.KubeClient.Support;

namespace ConsoleOperator.Kube.Tests.KubeClient.Fixtures;

/// <summary>Every recorded answer of the real API server, read by the client: the right result or the right exception.</summary>
public sealed class RecordedExchangeParsingTests
{
    public static TheoryData<string> AllExchanges()
    {
        var data = new TheoryData<string>();
        foreach (var exchange in FixtureLibrary.All)
        {
            data.Add(exchange.Dir);
        }

        return data;
    }

    [Fact]
    public void The_index_holds_every_recorded_exchange()
    {
        Assert.Equal(232, FixtureLibrary.All.Count);
    }

    [Theory]
    [MemberData(nameof(AllExchanges))]
    public async Task Each_recorded_response_is_read_into_the_right_result_or_exception(string dir)
    {
        var exchange = FixtureLibrary.Get(dir);
        using var response = RecordedResponses.ToMessage(exchange.Response);
        if (exchange.Status >= 300)
        {
            await AssertErrorAsync(exchange, response);
        }
        else if (exchange.IsWatch)
        {
            await AssertWatchAsync(exchange, response);
        }
        else if (!KubernetesApiException.IsJson(response.Content.Headers.ContentType?.MediaType))
        {
            // Only 21/08 asked for YAML; the client always asks for JSON and refuses anything else.
            using var client = RecordedResponses.ClientAnswering(response);
            await Assert.ThrowsAsync<InvalidDataException>(() => Verbs(client, Widgets).GetAsync("any"));
        }
        else
        {
            await AssertSuccessAsync(exchange, response);
        }
    }

    private static async Task AssertErrorAsync(RecordedExchange exchange, HttpResponseMessage response)
    {
        var error = await KubernetesApiException.ReadAsync(response, TimeProvider.System, CancellationToken.None);
        Assert.Equal(exchange.Status, error.Code);
        var body = exchange.Response.Body ?? [];
        if (KubernetesApiException.IsJson(exchange.ResponseContentType) && body.Length > 0)
        {
            var recorded = JsonNode.Parse(body)!;
            Assert.Equal((string?)recorded["reason"], error.Reason);
            Assert.Equal((string?)recorded["message"], error.Status.Message);
            var causes = recorded["details"]?["causes"]?.AsArray() ?? [];
            Assert.Equal(causes.Count, error.Causes.Count);
            for (var i = 0; i < causes.Count; i++)
            {
                Assert.Equal((string?)causes[i]!["field"], error.Causes[i].Field);
                Assert.Equal((string?)causes[i]!["reason"], error.Causes[i].Reason);
            }
        }
        else
        {
            // text/plain "404 page not found", the empty OpenAPI 404, the protobuf 406, the body-less 304.
            Assert.Equal(KubernetesApiException.ReasonFor((HttpStatusCode)exchange.Status), error.Reason);
            Assert.NotNull(error.Status.Message);
        }

        switch (exchange.Status)
        {
            case 401: Assert.Equal("Unauthorized", error.Reason); break;
            case 403: Assert.True(error.IsForbidden); break;
            case 404: Assert.True(error.IsNotFound); break;
            case 409: Assert.True(error.IsConflict || error.IsAlreadyExists); break;
            case 410: Assert.True(error.IsGone); break;
            case 422: Assert.True(error.IsInvalid); break;
            case 504: Assert.Equal("Timeout", error.Reason); Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter); break;
        }
    }

    private static async Task AssertWatchAsync(RecordedExchange exchange, HttpResponseMessage response)
    {
        var lines = exchange.Response.WatchLines;
        var events = new List<WatchEvent<UntypedObject>>();
        var hasError = lines.Any(l => l.StartsWith("{\"type\":\"ERROR\"", StringComparison.Ordinal));
        var target = FixtureDescriptors.Parse(exchange.Target, "Object")!.Value.Descriptor;
        Task ReadAll() => ServedWatch.ReadAsync(lines, EntityJson.TypeInfo<UntypedObject>(), target, events.Add);

        if (hasError)
        {
            var expired = await Assert.ThrowsAsync<KubernetesApiException>(ReadAll);
            Assert.Equal(410, expired.Code);
            Assert.True(expired.IsGone);
        }
        else
        {
            await ReadAll();
        }

        Assert.Equal(lines.Count(l => !l.Contains("\"type\":\"ERROR\"", StringComparison.Ordinal)), events.Count);
    }

    private static async Task AssertSuccessAsync(RecordedExchange exchange, HttpResponseMessage response)
    {
        var recorded = JsonNode.Parse(exchange.Response.Body!)!.AsObject();
        var kind = (string?)recorded["kind"];
        var apiVersion = (string?)recorded["apiVersion"];
        // The descriptor's kind stands for what the request addressed; "Object" never collides with "Status".
        var target = FixtureDescriptors.Parse(exchange.Target, "Object");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && recorded["items"] is JsonArray items && target is not null)
        {
            var itemKind = kind[..^"List".Length];
            var descriptor = new ResourceDescriptor(target.Value.Descriptor.Group, target.Value.Descriptor.Version, target.Value.Descriptor.Plural, itemKind, target.Value.Descriptor.Namespaced);
            using var client = RecordedResponses.ClientAnswering(response);
            var list = await Verbs(client, descriptor).ListAsync();
            Assert.Equal(items.Count, list.Items.Count);
            Assert.Equal((string?)recorded["metadata"]?["resourceVersion"], list.Metadata.ResourceVersion);
            Assert.Equal((string?)recorded["metadata"]?["continue"], list.Metadata.ContinueProperty);
            // Built-in list items carry no kind/apiVersion (fixture 14/08); the client fills them in, keeping what is there.
            for (var i = 0; i < items.Count; i++)
            {
                Assert.Equal((string?)items[i]!["kind"] ?? itemKind, list.Items[i].Kind);
                Assert.Equal((string?)items[i]!["apiVersion"] ?? descriptor.ApiVersion, list.Items[i].ApiVersion);
                Assert.Equal((string?)items[i]!["metadata"]?["name"], list.Items[i].Metadata.Name);
            }
            return;
        }

        if (exchange.Method == "DELETE" && target is not null)
        {
            using var client = RecordedResponses.ClientAnswering(response);
            var held = await Verbs(client, target.Value.Descriptor).DeleteAsync("any");
            Assert.Equal(kind == "Status", held is null);
            if (held is not null)
            {
                Assert.NotNull(held.Metadata.DeletionTimestamp);
            }

            return;
        }

        var typeInfo = TypedModels.Find(apiVersion, kind);
        if (typeInfo is null)
        {
            // Discovery, Table, TokenRequest, custom resources: read generically, nothing lost.
            var descriptor = target?.Descriptor ?? Widgets;
            using var client = RecordedResponses.ClientAnswering(response);
            var generic = await Verbs(client, descriptor).GetAsync("any");
            // Only what the server left out is filled in (/version has neither kind nor apiVersion).
            Assert.Equal(kind ?? descriptor.Kind, generic.Kind);
            Assert.Equal(apiVersion ?? descriptor.ApiVersion, generic.ApiVersion);
            var back = JsonSerializer.SerializeToNode(generic, EntityJson.TypeInfo<UntypedObject>())!.AsObject();
            if (!recorded.ContainsKey("metadata"))
            {
                // Non-object documents (/version, discovery) have no metadata; the model always has one, empty.
                Assert.Equal("{}", back["metadata"]!.ToJsonString());
                back.Remove("metadata");
            }

            var expected = TypedModels.WithoutNulls(recorded)!.AsObject();
            expected["kind"] ??= descriptor.Kind;
            expected["apiVersion"] ??= descriptor.ApiVersion;
            if (kind == "Table")
            {
                // A Table's metadata is a ListMeta (continue, remainingItemCount), not the ObjectMeta an object has.
                Assert.Equal((string?)recorded["metadata"]?["resourceVersion"], generic.Metadata.ResourceVersion);
                expected.Remove("metadata");
                back.Remove("metadata");
            }

            Assert.True(JsonNode.DeepEquals(expected, TypedModels.WithoutNulls(back)), $"{exchange.Dir}: generic round trip lost data");
            return;
        }

        // Typed models: read, write back, and nothing of the server's answer may be lost (read-modify-write safety).
        var typed = await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(), typeInfo);
        Assert.NotNull(typed);
        var written = JsonSerializer.SerializeToNode(typed, typeInfo);
        Assert.True(
            JsonNode.DeepEquals(TypedModels.WithoutNulls(recorded), TypedModels.WithoutNulls(written)),
            $"{exchange.Dir}: typed round trip changed the object:\n{TypedModels.WithoutNulls(recorded)!.ToJsonString()}\n{written!.ToJsonString()}");
    }

    private static readonly ResourceDescriptor Widgets = new("example.dev", "v1", "widgets", "Widget");

    /// <summary>The verbs the recorded answer is read by; the request's address does not matter, the answer is canned.</summary>
    private static ResourceClient<UntypedObject> Verbs(KubernetesClient client, ResourceDescriptor descriptor) =>
        client.Resource(descriptor, EntityJson.TypeInfo<UntypedObject>(), descriptor.Namespaced ? "demo" : null);
}
