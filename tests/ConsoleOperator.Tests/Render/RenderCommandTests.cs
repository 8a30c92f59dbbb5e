using System.CommandLine;
using ConsoleOperator.Builders;
using ConsoleOperator.Cli;
using ConsoleOperator.Render;

namespace ConsoleOperator.Tests.Render;

public sealed class RenderCommandTests
{
    private static readonly ProxyRenderer Renderer = new(OperatorDefaults.ForThisRelease, "default");

    private static string Example(string name) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "examples", name));

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
