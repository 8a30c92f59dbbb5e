using System.Globalization;
using System.Net;
using TestKit.Network;
using TestKit.Processes;

namespace ConsoleProxy.Tests.Support;

/// <summary>
/// A real VM whose serial port prints: QEMU booting Debian's kernel (`linux-image-amd64`, /vmlinuz) with
/// `console=ttyS0` and no disk, its serial port a TCP listener (`-serial tcp:127.0.0.1:PORT,server=on,wait=off`, what
/// nova's libvirt driver configures). With no root file system the kernel panics about three seconds in and, with
/// `panic=-1`, reboots at once: its boot messages come round again for whoever connects, whenever they connect.
/// (Debian's SeaBIOS does not mirror its screen to the serial port, so the BIOS alone prints nothing there.)
/// </summary>
public sealed class QemuSerialVm : IAsyncDisposable
{
    /// <summary>The kernel's first line on every boot.</summary>
    public const string BootBanner = "Linux version";

    private const string Kernel = "/vmlinuz";

    private readonly ChildProcess _process;

    private QemuSerialVm(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<QemuSerialVm> StartAsync()
    {
        var qemu = RequiredTool.Find("qemu-system-x86_64", "qemu-system-x86");
        if (!File.Exists(Kernel))
        {
            throw new InvalidOperationException($"No kernel at {Kernel} for the serial console VM. Run `make deps` (it installs it) or `apt-get install --no-install-recommends linux-image-amd64`.");
        }

        for (var attempt = 0; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var process = ChildProcess.Start(qemu,
            [
                "-nodefaults", "-display", "none", "-m", "256",
                "-kernel", Kernel, "-append", "console=ttyS0 panic=-1",
                "-serial", $"tcp:127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)},server=on,wait=off",
            ]);
            try
            {
                await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(20), () => process.Output);
                return new QemuSerialVm(process, port);
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
