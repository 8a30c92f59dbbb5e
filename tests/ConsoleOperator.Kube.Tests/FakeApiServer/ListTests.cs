using System.Text.Json.Nodes;
using static ConsoleOperator.Kube.Tests.FakeApiServer.FakeApiServerHarness;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

public sealed class ListTests
{
    private static List<string> Names(JsonObject list) => list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToList();

    [Fact]
    public async Task Paging_serves_one_consistent_snapshot_with_remaining_item_counts()
    {
        await using var harness = await StartAsync();
        foreach (var name in new[] { "w3", "w1", "w5", "w2", "w4" })
        {
            await harness.CreateWidgetAsync(name);
        }

        var (_, page1) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?limit=2");
        await harness.CreateWidgetAsync("w0");
        await harness.SendAsync(HttpMethod.Delete, $"{Widgets}/w4");
        var (_, page2) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?limit=2&continue={(string)page1["metadata"]!["continue"]!}");
        var (_, page3) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?limit=2&continue={(string)page2["metadata"]!["continue"]!}");

        Assert.Equal(["w1", "w2"], Names(page1));
        Assert.Equal(3, (int)page1["metadata"]!["remainingItemCount"]!);
        Assert.Equal(["w3", "w4"], Names(page2));
        Assert.Equal(1, (int)page2["metadata"]!["remainingItemCount"]!);
        Assert.Equal(["w5"], Names(page3));
        Assert.Equal(string.Empty, (string?)page3["metadata"]!["continue"]);
        Assert.Null(page3["metadata"]!["remainingItemCount"]);
        Assert.Equal(Rv(page1), Rv(page3));
    }

    [Fact]
    public async Task An_expired_continue_token_is_a_410_that_offers_an_inconsistent_continuation()
    {
        await using var harness = await StartAsync();
        foreach (var name in new[] { "w1", "w2", "w3" })
        {
            await harness.CreateWidgetAsync(name);
        }

        var (_, page1) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?limit=1");
        harness.Server.Faults.CompactHistory();
        var (expired, error) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?limit=1&continue={(string)page1["metadata"]!["continue"]!}");
        var (resumed, rest) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?continue={(string)error["metadata"]!["continue"]!}");

        Assert.Equal(410, expired);
        Assert.Equal("Expired", (string?)error["reason"]);
        Assert.Equal(200, resumed);
        Assert.Equal(["w2", "w3"], Names(rest));
    }

    [Fact]
    public async Task Built_in_list_items_have_no_kind_or_api_version_but_custom_resource_items_do()
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("w1");
        await harness.SendAsync(HttpMethod.Post, "/api/v1/namespaces/demo/configmaps", """{"metadata":{"name":"cm"}}""");

        var (_, widgets) = await harness.SendAsync(HttpMethod.Get, Widgets);
        var (_, configMaps) = await harness.SendAsync(HttpMethod.Get, "/api/v1/namespaces/demo/configmaps");

        Assert.Equal("Widget", (string?)widgets["items"]![0]!["kind"]);
        Assert.Null(configMaps["items"]![0]!["kind"]);
        Assert.Equal("ConfigMapList", (string?)configMaps["kind"]);
        Assert.Null(configMaps["metadata"]!["continue"]);
    }

    [Theory]
    [InlineData("tier%3Dgold", "a")]
    [InlineData("tier%3D%3Dgold", "a")]
    [InlineData("tier!%3Dgold", "b,c")]
    [InlineData("tier%20in%20(gold,silver)", "a,b")]
    [InlineData("tier%20notin%20(gold)", "b,c")]
    [InlineData("tier", "a,b")]
    [InlineData("!tier", "c")]
    [InlineData("tier,app%3Dx", "a")]
    public async Task Label_selectors_support_equality_and_set_based_requirements(string selector, string expected)
    {
        await using var harness = await StartAsync();
        await harness.CreateWidgetAsync("a", extraMetadata: "\"labels\":{\"tier\":\"gold\",\"app\":\"x\"}");
        await harness.CreateWidgetAsync("b", extraMetadata: "\"labels\":{\"tier\":\"silver\"}");
        await harness.CreateWidgetAsync("c");

        var (status, list) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?labelSelector={selector}");

        Assert.Equal(200, status);
        Assert.Equal(expected.Split(','), Names(list));
    }

    [Fact]
    public async Task Selector_errors_are_400_with_the_recorded_messages()
    {
        await using var harness = await StartAsync();

        var (badLabel, labelError) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?labelSelector=app%3D%3D%3Dx");
        var (badField, fieldError) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?fieldSelector=spec.size%3D3");
        var (byName, list) = await harness.SendAsync(HttpMethod.Get, $"{Widgets}?fieldSelector=metadata.name%3Dnone");

        Assert.Equal(400, badLabel);
        Assert.Equal("unable to parse requirement: found '=', expected: identifier", (string?)labelError["message"]);
        Assert.Equal(400, badField);
        Assert.Equal("field label not supported: spec.size", (string?)fieldError["message"]);
        Assert.Equal(200, byName);
        Assert.Empty(Names(list));
    }

    [Fact]
    public async Task A_future_resource_version_is_a_504_with_retry_after()
    {
        await using var harness = await StartAsync();

        using var response = await harness.Http.GetAsync($"{Widgets}?resourceVersion=999999&resourceVersionMatch=NotOlderThan");

        Assert.Equal(504, (int)response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
    }
}
