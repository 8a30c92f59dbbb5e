using ConsoleOperator.Builders;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Render;
using ConsoleProxy.Tokens.Settings;

namespace ConsoleOperator.Tests.Render;

public sealed class ProxyRendererTests
{
    private static readonly ProxyRenderer Renderer = new(new OperatorDefaults("registry.example/consoleproxy:1", "registry.example/redis:7"), "rendered-ns");

    private const string Minimal = """
        apiVersion: consoleoperator.dev/v1alpha1
        kind: ConsoleProxy
        metadata:
          name: console
        spec:
          publicURL: https://console.example.com
          tokenStore:
            managed: {}
          tokens:
            allowedTargets: ["10.20.0.0/16:5900-5999"]
        """;

    [Fact]
    public void A_minimal_proxy_renders_with_crd_defaults_the_default_namespace_and_a_marked_uid()
    {
        var proxy = Assert.Single(Renderer.Render("proxy.yaml", Minimal).Proxies);

        Assert.True(proxy.Succeeded, string.Join("; ", proxy.Problems));
        var deployment = proxy.Objects.Single(item => (string?)item["kind"] == "Deployment" && (string?)item["metadata"]!["name"] == "console-proxy");
        Assert.Equal(2, (int)deployment["spec"]!["replicas"]!);
        Assert.Equal("rendered-ns", (string?)deployment["metadata"]!["namespace"]);
        Assert.Equal(ProxyRenderer.PlaceholderUid, (string?)deployment["metadata"]!["ownerReferences"]![0]!["uid"]);
        Assert.Equal("registry.example/consoleproxy:1", (string?)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        var service = proxy.Objects.Single(item => (string?)item["kind"] == "Service" && (string?)item["metadata"]!["name"] == "console-proxy");
        Assert.Equal(6080, (int)service["spec"]!["ports"]![0]!["port"]!);
    }

    [Fact]
    public void The_rendered_redis_secret_carries_no_password()
    {
        var proxy = Assert.Single(Renderer.Render("proxy.yaml", Minimal).Proxies);

        var secret = proxy.Objects.Single(item => (string?)item["kind"] == "Secret");
        Assert.Null(secret["data"]);
        Assert.Null(secret["stringData"]);
        Assert.NotNull(secret["metadata"]!["annotations"]![RedisPasswordSecretBuilder.WithheldAnnotation]);
    }

    [Fact]
    public void A_given_namespace_and_uid_are_kept()
    {
        var yaml = Minimal.Replace("  name: console", "  name: console\n  namespace: prod\n  uid: 1234-abcd", StringComparison.Ordinal);

        var proxy = Assert.Single(Renderer.Render("proxy.yaml", yaml).Proxies);

        Assert.All(proxy.Objects, item =>
        {
            Assert.Equal("prod", (string?)item["metadata"]!["namespace"]);
            Assert.Equal("1234-abcd", (string?)item["metadata"]!["ownerReferences"]![0]!["uid"]);
        });
    }

    [Fact]
    public void Render_uses_the_same_builders_as_the_controller()
    {
        var proxy = Assert.Single(Renderer.Render("proxy.yaml", Minimal).Proxies);
        var configMap = proxy.Objects.Single(item => (string?)item["kind"] == "ConfigMap");

        Assert.Equal("console-redis.rendered-ns.svc:6379", (string?)configMap["data"]![ProxySettingsContract.Redis.EnvironmentVariable]);
    }

    [Fact]
    public void Several_documents_render_each_proxy_and_skip_other_kinds_with_a_note()
    {
        var yaml = Minimal + "\n---\n" + Minimal.Replace("name: console", "name: second", StringComparison.Ordinal)
            + "\n---\napiVersion: consoleoperator.dev/v1alpha1\nkind: ConsoleToken\nmetadata: {name: t}\nspec: {}\n---\napiVersion: v1\nkind: ConfigMap\n";

        var report = Renderer.Render("all.yaml", yaml);

        Assert.Equal(2, report.Proxies.Count);
        Assert.True(report.Succeeded);
        Assert.Equal(2, report.Skipped.Count);
        Assert.Contains("all.yaml#3", report.Skipped[0], StringComparison.Ordinal);
        Assert.Contains("ConfigMap", report.Skipped[1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_proxy_renders_nothing_and_says_what_to_fix()
    {
        var yaml = Minimal.Replace("10.20.0.0/16:5900-5999", "10.20.0.5/16:5900", StringComparison.Ordinal);

        var proxy = Assert.Single(Renderer.Render("proxy.yaml", yaml).Proxies);

        Assert.False(proxy.Succeeded);
        Assert.Empty(proxy.Objects);
        Assert.Equal("spec.tokens.allowedTargets[0]", Assert.Single(proxy.Problems).Field);
    }

    [Fact]
    public void A_typo_in_the_spec_is_an_error_not_a_silently_dropped_field()
    {
        var yaml = Minimal.Replace("  publicURL:", "  replica: 3\n  publicURL:", StringComparison.Ordinal);

        var problem = Assert.Single(Assert.Single(Renderer.Render("proxy.yaml", yaml).Proxies).Problems);

        Assert.Contains("replica", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_is_named_by_its_path_with_the_field_it_was_meant_to_be_and_its_line()
    {
        var yaml = Minimal.Replace("allowedTargets:", "allowedTarget:", StringComparison.Ordinal)
            + "\n  tolerations:\n    - key: dedicated\n      efect: NoSchedule\n  sessions:\n    idleTimeout: 300\n";

        var proxy = Assert.Single(Renderer.Render("proxy.yaml", yaml).Proxies);

        Assert.Equal(
            [
                "spec.tokens.allowedTarget: unknown field (did you mean allowedTargets?) at line 10 of proxy.yaml",
                "spec.tolerations[0].efect: unknown field (did you mean effect?) at line 13 of proxy.yaml",
                "spec.sessions.idleTimeout: unknown field (did you mean idleTimeoutSeconds?) at line 15 of proxy.yaml",
            ],
            proxy.Problems.Select(problem => $"{problem.Field}: {problem.Message}"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_says_what_the_field_takes_and_where_without_dotnet_internals()
    {
        var yaml = Minimal.Replace("  publicURL:", "  replicas: two\n  publicURL:", StringComparison.Ordinal);

        var problem = Assert.Single(Assert.Single(Renderer.Render("proxy.yaml", yaml).Proxies).Problems);

        Assert.Equal("spec.replicas", problem.Field);
        Assert.Equal("expected an integer at line 6 of proxy.yaml", problem.Message);
    }

    [Fact]
    public void Field_names_are_case_sensitive_as_on_the_api_server()
    {
        var yaml = Minimal.Replace("publicURL:", "publicUrl:", StringComparison.Ordinal);

        var proxy = Assert.Single(Renderer.Render("proxy.yaml", yaml).Proxies);

        Assert.False(proxy.Succeeded);
        Assert.Contains("publicUrl", proxy.Problems[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: consoleoperator.dev/v1\nkind: ConsoleProxy\n", "apiVersion")]
    [InlineData("- just a list\n", "document")]
    [InlineData("a: [unclosed\n", "document")]
    [InlineData("apiVersion: consoleoperator.dev/v1alpha1\nkind: ConsoleProxy\nmetadata: {name: x}\nspec:\n  replicas: many\n", "spec.replicas")]
    public void Documents_that_are_not_a_readable_console_proxy_are_refused(string yaml, string field)
    {
        var proxy = Assert.Single(Renderer.Render("bad.yaml", yaml).Proxies);

        Assert.False(proxy.Succeeded);
        Assert.Equal(field, proxy.Problems[0].Field);
    }
}
