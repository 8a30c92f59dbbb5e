using System.Diagnostics;
using System.Net.Sockets;
using System.Net;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// A relay run as its own process, its output sent to a log file, killed with its children when done.
/// It is its own launcher, not the kit's <c>TestKit.Processes.ChildProcess</c>, on purpose (decided for issue 19):
/// the kit pipes a child's output into this process and keeps it in memory, which suits a test's assertion
/// messages but not a measurement. Here this process is the load generator: draining websockify's line per
/// connection through thousands of sessions would run on its threads and count as load generator CPU, and hold
/// it all in memory. So the shell `exec`s the relay with its output to a file (keeping the relay's own pid, which
/// <see cref="Measurements.ProcessMemory"/> reads CPU and PSS from in /proc), the wait for the port fails as soon
/// as the relay dies, with its log, and the load generator's own socket settings
/// (<see cref="Measurements.LoadGeneratorSockets"/>) are kept out of the relay's environment.
/// </summary>
public sealed class RelayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RelayProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public int Id => _process.Id;

    public string LogPath { get; }

    public static RelayProcess Start(string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        // `exec` keeps the relay's own pid (what /proc memory is read from) and sends its output to the file.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >\"$LOG_PATH\" 2>&1");
        start.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LOG_PATH"] = logPath;
        Measurements.LoadGeneratorSockets.ForChildProcess(start.Environment);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {executable}");
        return new RelayProcess(process, logPath);
    }

    /// <summary>Waits until the port accepts connections, failing early if the process died.</summary>
    public async Task WaitListeningAsync(int port, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the relay exited with {_process.ExitCode}; its output: {await File.ReadAllTextAsync(LogPath)}");
            }

            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"the relay did not listen on {port} within {limit.TotalSeconds} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }
}
