using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TestKit.Network;

namespace TestKit.Processes;

/// <summary>
/// A real VNC server: QEMU with no disk and a standard VGA card, so the BIOS screen is the picture.
/// Listens on 127.0.0.1:<see cref="Port"/> (display = port - 5900); its human monitor on a unix socket takes
/// screendumps, QEMU's own picture of the screen.
/// </summary>
public sealed class QemuVncServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private QemuVncServer(ChildProcess process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <param name="tls">VNC over TLS (VeNCrypt x509) instead of plain RFB with security type None.</param>
    /// <param name="password">VNC password authentication (set with <see cref="SetPasswordAsync"/>; until then no one gets in).</param>
    /// <param name="anonymousTls">VNC over anonymous TLS (tls-creds-anon: VeNCrypt TLSNone, or TLSVnc with a password); not with <paramref name="tls"/>.</param>
    /// <param name="typingScreen">
    /// No VGA card: the screen is a second QEMU monitor as a text console, which echoes what is typed on it. The BIOS
    /// screen ignores keys; this shows them, for tests of where a viewer's input goes.
    /// </param>
    public static async Task<QemuVncServer> StartAsync(QemuVncTls? tls = null, bool password = false, bool anonymousTls = false, bool typingScreen = false)
    {
        if (tls is not null && anonymousTls)
        {
            throw new ArgumentException("QEMU's VNC takes one tls-creds object: x509 or anonymous, not both", nameof(anonymousTls));
        }

        var path = RequiredTool.Find("qemu-system-x86_64", "qemu-system-x86");
        var directory = Directory.CreateTempSubdirectory("qemu-vnc-").FullName;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePortAtOrAbove(5900 + Random.Shared.Next(100, 2000));
            var display = (port - 5900).ToString(CultureInfo.InvariantCulture);
            var passwordOption = password ? ",password=on" : string.Empty;
            string[] vnc = anonymousTls
                ? ["-object", "tls-creds-anon,id=vnctls,endpoint=server", "-vnc", $"127.0.0.1:{display},tls-creds=vnctls{passwordOption}"]
                : tls is null
                ? ["-vnc", $"127.0.0.1:{display}{passwordOption}"]
                :
                [
                    "-object", $"tls-creds-x509,id=vnctls,dir={tls.CredentialsDirectory},endpoint=server,verify-peer={(tls.VerifyPeer ? "on" : "off")}",
                    "-vnc", $"127.0.0.1:{display},tls-creds=vnctls{passwordOption}",
                ];
            var process = ChildProcess.Start(path,
            [
                "-nodefaults", "-vga", typingScreen ? "none" : "std", "-display", "none", "-m", "64",
                .. vnc,
                .. typingScreen ? (string[])["-monitor", "vc:800x600"] : [],
                "-monitor", $"unix:{MonitorPath(directory)},server=on,wait=off",
            ]);
            try
            {
                // A bound, not a wait: on a loaded machine (CI, several engineers) QEMU took more than 20 s to listen.
                await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(60), () => process.Output);
                return new QemuVncServer(process, port, directory);
            }
            catch (TimeoutException) when (attempt < 2 && process.HasExited)
            {
                // Lost a race for the port with another test: try another display.
                await process.DisposeAsync();
            }
            catch
            {
                // Never leave a QEMU behind that the test will not get to stop.
                await process.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>QEMU's own picture of the screen (monitor `screendump`): width, height and 8-bit RGB rows.</summary>
    public async Task<(int Width, int Height, byte[] Rgb)> ScreendumpAsync()
    {
        var file = Path.Combine(_directory, $"screen-{Guid.NewGuid():N}.ppm");
        using var monitor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await monitor.ConnectAsync(new UnixDomainSocketEndPoint(MonitorPath(_directory)));
        await using var stream = new NetworkStream(monitor);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ReadUntilPromptAsync(stream, timeout.Token);
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"screendump {file}\n"), timeout.Token);
        await ReadUntilPromptAsync(stream, timeout.Token);
        var ppm = await File.ReadAllBytesAsync(file, timeout.Token);
        File.Delete(file);
        return ReadPpm(ppm);
    }

    /// <summary>Sets the VNC password through the monitor (QEMU takes at most 8 characters, as VNC authentication does).</summary>
    public async Task SetPasswordAsync(string password)
    {
        using var monitor = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await monitor.ConnectAsync(new UnixDomainSocketEndPoint(MonitorPath(_directory)));
        await using var stream = new NetworkStream(monitor);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ReadUntilPromptAsync(stream, timeout.Token);
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"set_password vnc {password}\n"), timeout.Token);
        await ReadUntilPromptAsync(stream, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string MonitorPath(string directory) => Path.Combine(directory, "monitor.sock");

    private static async Task ReadUntilPromptAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var seen = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains("(qemu)", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"QEMU's monitor closed: {seen}");
            }

            seen.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    /// <summary>A binary PPM (P6, maxval 255), as QEMU's screendump writes it.</summary>
    private static (int Width, int Height, byte[] Rgb) ReadPpm(byte[] ppm)
    {
        var fields = new List<string>();
        var at = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)ppm[at]))
            {
                at++;
            }

            var start = at;
            while (!char.IsWhiteSpace((char)ppm[at]))
            {
                at++;
            }

            fields.Add(System.Text.Encoding.ASCII.GetString(ppm, start, at - start));
        }

        if (fields[0] != "P6" || fields[3] != "255")
        {
            throw new InvalidDataException($"QEMU's screendump is not a P6 PPM with maxval 255: {string.Join(' ', fields)}");
        }

        var width = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var height = int.Parse(fields[2], CultureInfo.InvariantCulture);
        return (width, height, ppm.AsSpan(at + 1, width * height * 3).ToArray());
    }

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
