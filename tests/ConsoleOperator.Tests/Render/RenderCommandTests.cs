using TestKit.Repository;
using System.CommandLine;
using ConsoleOperator.Builders;
using ConsoleOperator.Cli;
using ConsoleOperator.Render;

namespace ConsoleOperator.Tests.Render;

public sealed class RenderCommandTests
{
    private static readonly ProxyRenderer Renderer = new(OperatorDefaults.ForThisRelease, "default");

    private static string Example(string name) => File.ReadAllText(Path.Combine(Checkout.Root, "examples", name));

    [Fact]
    public async Task Output_is_a_yaml_stream_that_reads_back_as_the_rendered_objects()
    {
        var report = Renderer.Render("quickstart-managed.yaml", Example("quickstart-managed.yaml"));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await RenderCommand.WriteAsync([report], output, errors, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, errors.ToString());
        Assert.StartsWith("# quickstart-managed.yaml#1 default/quickstart", output.ToString(), StringComparison.Ordinal);
        var readBack = YamlJsonReader.ReadDocuments(output.ToString());
        var rendered = Assert.Single(report.Proxies).Objects;
        Assert.Equal(rendered.Count, readBack.Count);
        for (var index = 0; index < rendered.Count; index++)
        {
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(rendered[index], readBack[index]), $"document {index} differs after YAML");
        }
    }

    [Fact]
    public async Task Any_refused_proxy_prints_only_the_problems_and_fails()
    {
        var good = Renderer.Render("good.yaml", Example("quickstart-managed.yaml"));
        var bad = Renderer.Render("bad.yaml", Example("quickstart-managed.yaml").Replace("https://console.example.com", "console.example.com", StringComparison.Ordinal));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await RenderCommand.WriteAsync([good, bad], output, errors, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output.ToString());
        Assert.Contains("bad.yaml#1 default/quickstart: spec.publicURL:", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_whose_allowed_targets_open_everything_is_refused_with_the_field_and_the_opt_in()
    {
        var yaml = Example("quickstart-managed.yaml");
        var open = Renderer.Render("open.yaml", AllowedTargetsAs(yaml, "0.0.0.0/0"));
        var optedIn = Renderer.Render("opted-in.yaml", AllowedTargetsAs(yaml, "0.0.0.0/0").Replace("allowedTargets:", "allowWideTargetNetworks: true\n    allowedTargets:", StringComparison.Ordinal));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await RenderCommand.WriteAsync([open], output, errors, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("open.yaml#1 default/quickstart: spec.tokens.allowedTargets[0]: '0.0.0.0/0' is wider than /8", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("spec.tokens.allowWideTargetNetworks: true", errors.ToString(), StringComparison.Ordinal);
        Assert.Empty(Assert.Single(optedIn.Proxies).Problems);
    }

    private static string AllowedTargetsAs(string yaml, string target)
    {
        var lines = yaml.Split('\n').ToList();
        var index = lines.FindIndex(line => line.TrimStart().StartsWith("allowedTargets:", StringComparison.Ordinal));
        var indent = lines[index][..(lines[index].Length - lines[index].TrimStart().Length)];
        var end = index + 1;
        while (end < lines.Count && lines[end].TrimStart().StartsWith('-'))
        {
            end++;
        }

        lines.RemoveRange(index + 1, end - index - 1);
        lines.Insert(index + 1, $"{indent}  - \"{target}\"");
        return string.Join('\n', lines);
    }

    [Fact]
    public async Task The_command_reads_files_and_honours_the_namespace_and_image_options()
    {
        var file = Path.Combine(Path.GetTempPath(), $"render-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Example("quickstart-managed.yaml"));
        using var output = new StringWriter();
        using var errors = new StringWriter();
        try
        {
            var root = new RootCommand { RenderCommand.Create() };

            var exit = await root.Parse(["render", "-f", file, "-n", "consoles", "--proxy-image", "mirror/proxy:2"])
                .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

            Assert.True(exit == 0, errors.ToString());
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Contains("namespace: consoles", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("image: mirror/proxy:2", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_file_is_a_clear_error()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var root = new RootCommand { RenderCommand.Create() };

        var exit = await root.Parse(["render", "-f", "/nonexistent/proxy.yaml"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

        Assert.Equal(1, exit);
        Assert.Contains("cannot read /nonexistent/proxy.yaml", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_says_how_the_secret_is_rendered()
    {
        var command = RenderCommand.Create();

        Assert.Contains("WITHOUT data", command.Description, StringComparison.Ordinal);
        Assert.Contains(ProxyRenderer.PlaceholderUid, command.Description, StringComparison.Ordinal);
    }
}
