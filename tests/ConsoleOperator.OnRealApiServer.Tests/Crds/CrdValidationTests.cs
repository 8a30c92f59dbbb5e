using System.Text.Json.Nodes;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using ConsoleOperator.OnRealApiServer.Tests.Yaml;
using TestKit.Repository;

namespace ConsoleOperator.OnRealApiServer.Tests.Crds;

/// <summary>
/// What the CRDs promise to refuse, refused by the real API server with the promised message: OpenAPI ranges,
/// required fields and patterns, and the CEL rules (x-kubernetes-validations) that only a real server evaluates.
/// </summary>
[Collection(RealApiServerCollection.Name)]
public sealed class CrdValidationTests(RealApiServer cluster)
{
    [Theory]
    [InlineData("quickstart-managed.yaml")]
    [InlineData("external-redis.yaml")]
    [InlineData("external-sentinel.yaml")]
    [InlineData("tls-allowed-origins.yaml")]
    [InlineData("console-token.yaml")]
    [InlineData("console-token-share.yaml")]
    [InlineData("console-token-screenshot.yaml")]
    public async Task Every_example_is_accepted(string example)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await cluster.InstallCrdsAsync(timeout.Token);
        var ns = await cluster.CreateNamespaceAsync("examples", timeout.Token);
        var body = await ExampleAsync(example, timeout.Token);
        var objects = body["kind"]!.GetValue<string>() == "ConsoleToken"
            ? CustomObjects.ConsoleTokens(cluster.Admin)
            : CustomObjects.ConsoleProxies(cluster.Admin);

        var created = await objects.CreateAsync(ns, body, timeout.Token);

        Assert.Equal(body["metadata"]!["name"]!.GetValue<string>(), created["metadata"]!["name"]!.GetValue<string>());
        Assert.NotNull(created["metadata"]!["uid"]);
    }

    [Theory]
    [InlineData("spec.tokens", null, "spec.tokens: Required value")]
    [InlineData("spec.publicURL", null, "spec.publicURL: Required value")]
    [InlineData("spec.tokens.allowedTargets", null, "spec.tokens.allowedTargets: Required value")]
    [InlineData("spec.replicas", "1001", "spec.replicas in body should be less than or equal to 1000")]
    [InlineData("spec.replicas", "-1", "spec.replicas in body should be greater than or equal to 0")]
    [InlineData("spec.tokens.maxTTLSeconds", "31536001", "spec.tokens.maxTTLSeconds in body should be less than or equal to 31536000")]
    [InlineData("spec.publicURL", "\"console.example.com\"", "spec.publicURL in body should match '^https?://")]
    [InlineData("spec.publicURL", "\"https://console.example.com/?token=x\"", "spec.publicURL in body should match '^https?://")]
    [InlineData("spec.tokens.allowedTargets", "[]", "spec.tokens.allowedTargets in body should have at least 1 items")]
    [InlineData("spec.tokens.allowedTargets", "[\"compute-nodes\"]", "spec.tokens.allowedTargets[0] in body should match")]
    [InlineData("spec.tokenStore", "{}", "tokenStore needs exactly one of managed or external")]
    [InlineData("spec.tokenStore", "{\"managed\":{},\"external\":{\"address\":\"10.0.0.1:6379\"}}", "tokenStore needs exactly one of managed or external")]
    [InlineData("spec.tokenStore", "{\"external\":{\"address\":\"redis\"}}", "spec.tokenStore.external.address in body should match")]
    [InlineData("spec.tokenStore", "{\"external\":{}}", "external needs exactly one of address (one Redis) or sentinel (Redis Sentinel)")]
    [InlineData("spec.tokenStore", "{\"external\":{\"address\":\"10.0.0.1:6379\",\"sentinel\":{\"masterName\":\"m\",\"addresses\":[\"10.0.0.2:26379\"]}}}", "external needs exactly one of address (one Redis) or sentinel (Redis Sentinel)")]
    [InlineData("spec.tokenStore", "{\"external\":{\"sentinel\":{\"masterName\":\"m\",\"addresses\":[]}}}", "spec.tokenStore.external.sentinel.addresses in body should have at least 1 items")]
    [InlineData("spec.tokenStore", "{\"external\":{\"sentinel\":{\"addresses\":[\"10.0.0.2:26379\"]}}}", "spec.tokenStore.external.sentinel.masterName: Required value")]
    [InlineData("spec.tokenStore", "{\"external\":{\"address\":\"10.0.0.1:6379\",\"passwordSecretRef\":{\"name\":\"s\"}}}", "spec.tokenStore.external.passwordSecretRef.key: Required value")]
    [InlineData("spec.tokens.maxTTLSeconds", "60", "tokens.defaultTTLSeconds must not exceed tokens.maxTTLSeconds")]
    [InlineData("spec.autoscaling", "{\"minReplicas\":5,\"maxReplicas\":3}", "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")]
    [InlineData("spec.service", "{\"port\":70000}", "spec.service.port in body should be less than or equal to 65535")]
    [InlineData("spec.service", "{\"type\":\"ExternalName\"}", "spec.service.type: Unsupported value: \"ExternalName\"")]
    [InlineData("spec.kinds", "[\"rdp\"]", "spec.kinds[0] in body should match '^(vnc|serial|spice)$'")]
    [InlineData("spec.kinds", "[]", "spec.kinds in body should have at least 1 items")]
    [InlineData("spec.tokens.serialAllowedTargets", "[\"serial-ports\"]", "spec.tokens.serialAllowedTargets[0] in body should match")]
    public async Task An_invalid_console_proxy_is_refused_with_the_message_the_crd_promises(string path, string? value, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await cluster.InstallCrdsAsync(timeout.Token);
        var ns = await cluster.CreateNamespaceAsync("invalid-proxy", timeout.Token);
        var valid = await ExampleAsync("quickstart-managed.yaml", timeout.Token);
        var proxies = CustomObjects.ConsoleProxies(cluster.Admin);

        await ApiRefusal.AssertInvalidAsync(() => proxies.CreateAsync(ns, JsonEdit.With(valid, path, value), timeout.Token), message);
        // The same object without the edit passes, so the refusal is the edit's.
        await proxies.CreateAsync(ns, valid, timeout.Token, dryRun: true);
    }

    [Theory]
    [InlineData("spec.target", null, "spec.target: Required value")]
    [InlineData("spec.proxyRef", null, "spec.proxyRef: Required value")]
    [InlineData("spec.proxyRef", "{}", "spec.proxyRef.name: Required value")]
    [InlineData("spec.target", "{\"host\":\"10.20.3.17\"}", "spec.target.port: Required value")]
    [InlineData("spec.target", "{\"host\":\"10.20.3.17\",\"port\":70000}", "spec.target.port in body should be less than or equal to 65535")]
    [InlineData("spec.target", "{\"host\":\"10.20.3.17\",\"port\":0}", "spec.target.port in body should be greater than or equal to 1")]
    [InlineData("spec.target", "{\"host\":\"vm 1; rm\",\"port\":5901}", "spec.target.host in body should match")]
    [InlineData("spec.ttlSeconds", "0", "spec.ttlSeconds in body should be greater than or equal to 1")]
    [InlineData("spec.ttlSecondsAfterExpiry", "-1", "spec.ttlSecondsAfterExpiry in body should be greater than or equal to 0")]
    [InlineData("spec.kind", "\"rdp\"", "spec.kind in body should match '^(vnc|serial|spice)$'")]
    public async Task An_invalid_console_token_is_refused_with_the_message_the_crd_promises(string path, string? value, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await cluster.InstallCrdsAsync(timeout.Token);
        var ns = await cluster.CreateNamespaceAsync("invalid-token", timeout.Token);
        var valid = await ExampleAsync("console-token.yaml", timeout.Token);
        var tokens = CustomObjects.ConsoleTokens(cluster.Admin);

        await ApiRefusal.AssertInvalidAsync(() => tokens.CreateAsync(ns, JsonEdit.With(valid, path, value), timeout.Token), message);
        await tokens.CreateAsync(ns, valid, timeout.Token, dryRun: true);
    }

    [Theory]
    [InlineData("spec.kind", "\"serial\"", "screenshotOnly needs kind vnc: only a VNC console has a screen to take")]
    [InlineData("spec.kind", "\"spice\"", "screenshotOnly needs kind vnc: only a VNC console has a screen to take")]
    [InlineData("spec.singleUse", "true", "screenshotOnly does not go with singleUse: a screenshot reads the token and never consumes it")]
    public async Task A_screenshot_only_token_is_VNC_only_and_never_single_use(string path, string value, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await cluster.InstallCrdsAsync(timeout.Token);
        var ns = await cluster.CreateNamespaceAsync("screenshot-token", timeout.Token);
        var screenshot = await ExampleAsync("console-token-screenshot.yaml", timeout.Token);
        var tokens = CustomObjects.ConsoleTokens(cluster.Admin);

        await ApiRefusal.AssertInvalidAsync(() => tokens.CreateAsync(ns, JsonEdit.With(screenshot, path, value), timeout.Token), message);

        // The same edit without screenshotOnly is a token like any other.
        await tokens.CreateAsync(ns, JsonEdit.With(JsonEdit.With(screenshot, "spec.screenshotOnly", "false"), path, value), timeout.Token, dryRun: true);
        var created = await tokens.CreateAsync(ns, screenshot, timeout.Token);
        Assert.True(created["spec"]!["screenshotOnly"]!.GetValue<bool>());
        await ApiRefusal.AssertInvalidAsync(
            () => tokens.MergePatchAsync(ns, created["metadata"]!["name"]!.GetValue<string>(), new JsonObject { ["spec"] = new JsonObject { ["screenshotOnly"] = false } }, timeout.Token),
            "spec is immutable: create a new ConsoleToken instead");
    }

    [Fact]
    public async Task A_console_token_spec_is_immutable_but_its_metadata_is_not()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await cluster.InstallCrdsAsync(timeout.Token);
        var ns = await cluster.CreateNamespaceAsync("immutable-token", timeout.Token);
        var tokens = CustomObjects.ConsoleTokens(cluster.Admin);
        var created = await tokens.CreateAsync(ns, await ExampleAsync("console-token.yaml", timeout.Token), timeout.Token);
        var name = created["metadata"]!["name"]!.GetValue<string>();

        await ApiRefusal.AssertInvalidAsync(
            () => tokens.MergePatchAsync(ns, name, new JsonObject { ["spec"] = new JsonObject { ["ttlSeconds"] = 60 } }, timeout.Token),
            "spec is immutable: create a new ConsoleToken instead");
        await ApiRefusal.AssertInvalidAsync(
            () => tokens.MergePatchAsync(ns, name, new JsonObject { ["spec"] = new JsonObject { ["target"] = new JsonObject { ["port"] = 5902 } } }, timeout.Token),
            "spec is immutable: create a new ConsoleToken instead");

        var labelled = await tokens.MergePatchAsync(ns, name, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "a" } } }, timeout.Token);
        Assert.Equal("a", labelled["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(900, labelled["spec"]!["ttlSeconds"]!.GetValue<int>());
    }

    internal static async Task<JsonObject> ExampleAsync(string name, CancellationToken cancellationToken) =>
        YamlDocuments.ParseSingle(await File.ReadAllTextAsync(Checkout.File("examples", name), cancellationToken));
}
