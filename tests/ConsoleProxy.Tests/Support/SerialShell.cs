using System.Globalization;
using System.Net;
using TestKit.Network;
using TestKit.Processes;

namespace ConsoleProxy.Tests.Support;

/// <summary>
/// A serial console target that answers: a shell on a pty behind socat's TCP listener (what a serial concentrator or
/// QEMU's `-serial tcp:HOST:PORT,server=on` is to the proxy: a TCP port carrying a terminal's bytes). Each connection
/// gets its own shell, started in <see cref="Directory"/> with the prompt <see cref="Prompt"/>, so a test can see typed
/// commands run (their output, or the files they touch there).
/// </summary>
public sealed class SerialShell : IAsyncDisposable
{
    public const string Prompt = "guest$ ";

    private readonly ChildProcess _process;

    private SerialShell(ChildProcess process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The shells' working directory (a fresh temporary one).</summary>
    public string Directory { get; }

    public static async Task<SerialShell> StartAsync()
    {
        var socat = RequiredTool.Find("socat", "socat");
        var directory = System.IO.Directory.CreateTempSubdirectory("serial-shell-").FullName;
        var script = Path.Combine(directory, "shell.sh");
        await File.WriteAllTextAsync(script, $"export PS1='{Prompt}'\nexec /bin/sh -i\n");
        for (var attempt = 0; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var process = ChildProcess.Start(socat,
            [
                $"TCP-LISTEN:{port.ToString(CultureInfo.InvariantCulture)},bind=127.0.0.1,reuseaddr,fork",
                $"EXEC:/bin/sh {script},pty,stderr,setsid,sigint,sane",
            ], workingDirectory: directory);
            try
            {
                await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(10), () => process.Output);
                return new SerialShell(process, port, directory);
            }
            catch (TimeoutException) when (attempt < 2 && process.HasExited)
            {
                // Lost a race for the port with another test: try another.
                await process.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The tree: socat's forked children and their shells go with it.
        await _process.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A shell still writing there as it dies; the temporary folder is left to the system.
        }
    }
}
