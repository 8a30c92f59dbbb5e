using System.Globalization;
using System.Net;
using TestKit.Network;
using TestKit.Processes;

namespace ConsoleProxy.Tests.Support;

/// <summary>
/// A real SPICE server: QEMU with `-spice port=N,addr=127.0.0.1,disable-ticketing=on` and a QXL card, no disk. SeaBIOS
/// draws its banner and "No bootable device" on the screen, so a client that shows the display shows text.
/// </summary>
public sealed class QemuSpiceVm : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private QemuSpiceVm(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<QemuSpiceVm> StartAsync()
    {
        var qemu = RequiredTool.Find("qemu-system-x86_64", "qemu-system-x86");
        for (var attempt = 0; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var process = ChildProcess.Start(qemu,
            [
                "-nodefaults", "-display", "none", "-m", "128", "-vga", "qxl",
                "-spice", $"port={port.ToString(CultureInfo.InvariantCulture)},addr=127.0.0.1,disable-ticketing=on",
            ]);
            try
            {
                await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(20), () => process.Output);
                return new QemuSpiceVm(process, port);
            }
            catch (TimeoutException) when (attempt < 2 && process.HasExited)
            {
                // Lost a race for the port with another test: try another.
                await process.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
