using System.Formats.Tar;
using System.Text.Json;
using ConsoleOperator.EndToEnd.Cluster;

namespace ConsoleOperator.EndToEnd;

/// <summary>
/// The image tarballs of `make images` (the ones the cluster runs): tagged with the release version, never :latest;
/// their settings are what the Dockerfiles say (the same file `docker build` reads), non-root, with the OCI labels;
/// and the files a pod needs are in them.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ImageTests(OperatorInstallation cluster)
{
    [Theory]
    [InlineData("console-operator", "operator/ConsoleOperator/Dockerfile", "/app/console-operator")]
    [InlineData("consoleproxy", "proxy/ConsoleProxy/Dockerfile", "/app/consoleproxy")]
    public async Task The_image_is_tagged_with_the_release_runs_as_non_root_and_has_the_Dockerfile_settings(string name, string dockerfile, string entrypoint)
    {
        var version = InstallationTests.ReleaseVersion();
        var image = await ImageArchive.ReadAsync(Path.Combine(cluster.Settings.RepositoryRoot, "artifacts", "images", $"{name}-{version}.tar"));
        var config = image.Configuration.GetProperty("config");
        var instructions = File.ReadAllLines(Path.Combine(cluster.Settings.RepositoryRoot, dockerfile));

        Assert.Equal([$"ghcr.io/consoleoperator/{name}:{version}"], image.Tags);
        Assert.Equal("65532:65532", config.GetProperty("User").GetString());
        Assert.Contains("USER 65532:65532", instructions);
        Assert.Equal([entrypoint], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains($"ENTRYPOINT [\"{entrypoint}\"]", instructions);
        var labels = config.GetProperty("Labels");
        Assert.Equal(version, labels.GetProperty("org.opencontainers.image.version").GetString());
        Assert.Equal(name, labels.GetProperty("org.opencontainers.image.title").GetString());
        Assert.Matches("^[0-9a-f]{40}$", labels.GetProperty("org.opencontainers.image.revision").GetString());

        Assert.Contains(entrypoint.TrimStart('/'), image.Files);
        foreach (var required in new[] { "lib64/ld-linux-x86-64.so.2", "etc/passwd", "etc/ssl/certs/ca-certificates.crt", "usr/share/zoneinfo/UTC" })
        {
            Assert.Contains(required, image.Files);
        }

        Assert.Contains(image.Files, f => f.EndsWith("libssl.so.3", StringComparison.Ordinal));
        Assert.DoesNotContain(image.Files, f => f.StartsWith("usr/share/doc/", StringComparison.Ordinal));
        // /tmp as in any Linux root: 1777, for a runtime that writes there when no volume is mounted.
        Assert.Equal((UnixFileMode)Convert.ToInt32("1777", 8), image.Modes["tmp"]);
    }

    [Fact]
    public async Task The_proxy_image_has_the_sleep_its_pods_preStop_hook_runs_and_the_noVNC_pages()
    {
        var version = InstallationTests.ReleaseVersion();
        var image = await ImageArchive.ReadAsync(Path.Combine(cluster.Settings.RepositoryRoot, "artifacts", "images", $"consoleproxy-{version}.tar"));

        Assert.Contains("bin/sleep", image.Files);
        Assert.Contains("app/novnc/vnc_lite.html", image.Files);
    }

    private sealed record ImageArchive(IReadOnlyList<string> Tags, JsonElement Configuration, IReadOnlySet<string> Files, IReadOnlyDictionary<string, UnixFileMode> Modes)
    {
        public static async Task<ImageArchive> ReadAsync(string path)
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: run `make images`.");
            }

            var members = new Dictionary<string, byte[]>();
            await using (var file = File.OpenRead(path))
            await using (var reader = new TarReader(file))
            {
                while (await reader.GetNextEntryAsync() is { } entry)
                {
                    using var content = new MemoryStream();
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(content);
                    }

                    members[entry.Name] = content.ToArray();
                }
            }

            var manifest = JsonDocument.Parse(members["manifest.json"]).RootElement[0];
            var config = JsonDocument.Parse(members[manifest.GetProperty("Config").GetString()!]).RootElement.Clone();
            var files = new HashSet<string>(StringComparer.Ordinal);
            var modes = new Dictionary<string, UnixFileMode>(StringComparer.Ordinal);
            foreach (var layer in manifest.GetProperty("Layers").EnumerateArray())
            {
                await using var layerReader = new TarReader(new MemoryStream(members[layer.GetString()!]));
                while (await layerReader.GetNextEntryAsync() is { } entry)
                {
                    var name = entry.Name.TrimEnd('/');
                    files.Add(name);
                    modes[name] = entry.Mode;
                }
            }

            return new ImageArchive([.. manifest.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()!)], config, files, modes);
        }
    }
}
