using TestKit.Processes;
namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// `make install PREFIX=...`, the README's way to get the commands on a PATH: both land in PREFIX/bin, run from there
/// (through the symlink, as a user's shell finds them), and the proxy finds its bundled web client. In the browser
/// collection so its Release publish does not compete with the timing-sensitive tests for the CPU.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class InstallTests : IDisposable
{
    private readonly string _prefix = Directory.CreateTempSubdirectory("consoleoperator-install-").FullName;

    [Fact]
    public async Task Make_install_puts_both_commands_on_PREFIX_bin_and_they_run_from_there()
    {
        var install = await Command.RunAsync("make", ["install", $"PREFIX={_prefix}"], TimeSpan.FromMinutes(6));
        Assert.True(install.ExitCode == 0, $"make install failed: {install}");

        var proxy = await Command.RunAsync(Path.Combine(_prefix, "bin", "consoleproxy"), ["--help"], TimeSpan.FromSeconds(30), workingDirectory: _prefix);
        var operatorHelp = await Command.RunAsync(Path.Combine(_prefix, "bin", "console-operator"), ["--help"], TimeSpan.FromSeconds(30), workingDirectory: _prefix);

        Assert.True(proxy.ExitCode == 0, proxy.ToString());
        Assert.Contains("--allowed-target", proxy.Output, StringComparison.Ordinal);
        Assert.True(operatorHelp.ExitCode == 0, operatorHelp.ToString());
        Assert.Contains("render", operatorHelp.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_prefix, "lib", "consoleoperator", "consoleproxy", "novnc", "vnc_lite.html")), "the proxy was installed without its noVNC pages");
    }

    public void Dispose() => Directory.Delete(_prefix, recursive: true);
}
