using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ConsoleOperator.Testing.Network;

namespace ConsoleOperator.Testing.Processes;

/// <summary>
/// A real VNC server: QEMU with no disk and a standard VGA card, so the BIOS screen is the picture.
/// Listens on 127.0.0.1:<see cref="Port"/> (display = port - 5900).
/// </summary>
public sealed class QemuVncServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private QemuVncServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<QemuVncServer> StartAsync()
    {
        var path = RequiredTool.Find("qemu-system-x86_64", "qemu-system-x86");
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePortAtOrAbove(5900 + Random.Shared.Next(100, 2000));
            var display = (port - 5900).ToString(CultureInfo.InvariantCulture);
            var process = ChildProcess.Start(path,
            [
                "-nodefaults", "-vga", "std", "-display", "none", "-m", "64",
                "-vnc", $"127.0.0.1:{display}",
            ]);
            try
            {
                await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(20), () => process.Output);
                return new QemuVncServer(process, port);
            }
            catch (TimeoutException) when (attempt < 2 && process.HasExited)
            {
                // Lost a race for the port with another test: try another display.
                await process.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static int FreePortAtOrAbove(int start)
    {
        for (var port = start; port < 65000; port++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }

        throw new InvalidOperationException("no free VNC port");
    }
}
