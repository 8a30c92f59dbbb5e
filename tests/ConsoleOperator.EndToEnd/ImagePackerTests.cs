using TestKit.Repository;
using System.Diagnostics;
using ConsoleOperator.EndToEnd.Cluster;
using TestKit.Processes;

namespace ConsoleOperator.EndToEnd;

/// <summary>
/// images/pack-image.py refuses what it would otherwise get wrong: a Dockerfile instruction it does not understand
/// (the image would silently differ from `docker build`), and an untagged or :latest image (a kubelet would pull it).
/// </summary>
public sealed class ImagePackerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pack-image-").FullName;

    [Theory]
    [InlineData("FROM scratch\nCOPY . /\nRUN echo hi\n", "local/x:1", "RUN is not supported")]
    [InlineData("FROM debian:12\nCOPY . /\n", "local/x:1", "only FROM scratch is supported")]
    [InlineData("FROM scratch\nCOPY . /\nLABEL v=${NOPE}\n", "local/x:1", "$NOPE is used but no ARG declares it")]
    [InlineData("FROM scratch\nCOPY . /\n", "local/x:latest", "never :latest")]
    [InlineData("FROM scratch\nCOPY . /\n", "local/x", "give NAME:VERSION")]
    public async Task Refuses_what_would_make_a_different_or_unpullable_image(string dockerfile, string tag, string message)
    {
        var (exitCode, error) = await PackAsync(dockerfile, tag);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "image.tar")));
    }

    [Fact]
    public async Task Packs_the_Dockerfile_settings_and_the_same_inputs_give_the_same_bytes()
    {
        const string dockerfile = "FROM scratch\nARG VERSION=0\nCOPY . /\nUSER 65532:65532\nENTRYPOINT [\"/app/x\"]\nLABEL org.opencontainers.image.version=\"${VERSION}\"\n";

        Assert.Equal(0, (await PackAsync(dockerfile, "local/x:1")).ExitCode);
        var first = await File.ReadAllBytesAsync(Path.Combine(_dir, "image.tar"));
        Assert.Equal(0, (await PackAsync(dockerfile, "local/x:1")).ExitCode);

        Assert.Equal(first, await File.ReadAllBytesAsync(Path.Combine(_dir, "image.tar")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int ExitCode, string Error)> PackAsync(string dockerfile, string tag)
    {
        var rootfs = Directory.CreateDirectory(Path.Combine(_dir, "rootfs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(rootfs, "hello"), "hello");
        await File.WriteAllTextAsync(Path.Combine(_dir, "Dockerfile"), dockerfile);
        var info = new ProcessStartInfo(RequiredTool.Find("python3", "python3"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(Checkout.Root, "images", "pack-image.py"), "--dockerfile", Path.Combine(_dir, "Dockerfile"),
            "--rootfs", rootfs, "--tag", tag, "--out", Path.Combine(_dir, "image.tar"),
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await error);
    }
}
