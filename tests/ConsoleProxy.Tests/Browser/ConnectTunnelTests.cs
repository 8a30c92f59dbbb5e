using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using TestKit.Processes;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// `consoleproxy connect URL` with a real native client: Debian's vncsnapshot takes the VM's picture through the
/// tunnel and the proxy; a revoked token ends the tunnelled session with the reason; a refused token says why.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed partial class ConnectTunnelTests(ConsoleStack stack) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("consoleproxy-connect-").FullName;

    [Fact]
    public async Task Vncsnapshot_takes_the_VMs_picture_through_the_tunnel_and_the_tunnel_ends_with_its_session()
    {
        var minted = await stack.MintTokenForTheVmAsync();
        await using var tunnel = await StartTunnelAsync(minted.Url);
        var snapshot = Path.Combine(_directory, "vm.jpg");

        var taken = await Command.RunAsync("vncsnapshot", ["-quiet", $"127.0.0.1::{tunnel.Port}", snapshot], Timeout);

        Assert.True(taken.ExitCode == 0, $"vncsnapshot failed: {taken}\ntunnel: {tunnel.Process.Output}");
        var (width, height) = await ScreenSizeAsync(stack.Vm.Port);
        Assert.Equal((width, height), JpegSize(await File.ReadAllBytesAsync(snapshot)));
        await WaitForExitAsync(tunnel.Process);
        Assert.Equal(0, tunnel.Process.ExitCode);
        Assert.Contains("the VNC client disconnected", tunnel.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(minted.Token, tunnel.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_the_token_ends_the_tunnelled_session_with_4001()
    {
        var minted = await stack.MintTokenForTheVmAsync();
        await using var tunnel = await StartTunnelAsync(minted.Url);
        using var viewer = new TcpClient();
        await viewer.ConnectAsync("127.0.0.1", tunnel.Port);
        var version = new byte[12];
        await viewer.GetStream().ReadExactlyAsync(version);
        Assert.StartsWith("RFB 003.", Encoding.ASCII.GetString(version), StringComparison.Ordinal);

        await stack.Proxy.RevokeTokenAsync(minted.Token);

        await WaitForExitAsync(tunnel.Process);
        Assert.Equal(1, tunnel.Process.ExitCode);
        Assert.Contains("the proxy closed the session: 4001", tunnel.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_makes_the_tunnel_exit_with_the_reason()
    {
        await using var tunnel = await StartTunnelAsync($"{stack.Proxy.BaseUrl}/vnc_auto.html?path=%3Ftoken%3D{new string('A', 43)}");
        using var viewer = new TcpClient();
        await viewer.ConnectAsync("127.0.0.1", tunnel.Port);

        await WaitForExitAsync(tunnel.Process);
        Assert.Equal(1, tunnel.Process.ExitCode);
        Assert.Contains("the proxy refused the console (HTTP 403)", tunnel.Process.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<RunningTunnel> StartTunnelAsync(string url)
    {
        var build = ProxyBuildOutput.Find();
        var process = ChildProcess.Start(build.Dotnet, [build.Assembly, "connect", url]);
        var deadline = DateTimeOffset.UtcNow + Timeout;
        Match listening;
        while (!(listening = ListeningLine().Match(process.Output)).Success)
        {
            if (process.HasExited || DateTimeOffset.UtcNow > deadline)
            {
                await process.DisposeAsync();
                throw new TimeoutException($"consoleproxy connect did not start listening:\n{process.Output}");
            }

            await Task.Delay(50);
        }

        return new RunningTunnel(process, int.Parse(listening.Groups["port"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Until the process exited and its last line ("connect: ...", the outcome) was read from its output.</summary>
    private static async Task WaitForExitAsync(ChildProcess process)
    {
        var deadline = DateTimeOffset.UtcNow + Timeout;
        while (!process.HasExited || !process.Output.Contains("connect: ", StringComparison.Ordinal))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"consoleproxy connect did not exit with its outcome:\n{process.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>The framebuffer size QEMU announces in its ServerInit (RFB 3.8, security None, shared).</summary>
    private static async Task<(int Width, int Height)> ScreenSizeAsync(int port)
    {
        using var vnc = new TcpClient();
        await vnc.ConnectAsync("127.0.0.1", port);
        var stream = vnc.GetStream();
        var buffer = new byte[12];
        await stream.ReadExactlyAsync(buffer);
        await stream.WriteAsync("RFB 003.008\n"u8.ToArray());
        var count = new byte[1];
        await stream.ReadExactlyAsync(count);
        await stream.ReadExactlyAsync(new byte[count[0]]);
        await stream.WriteAsync(new byte[] { 1 });
        await stream.ReadExactlyAsync(new byte[4]);
        await stream.WriteAsync(new byte[] { 1 });
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        return (BinaryPrimitives.ReadUInt16BigEndian(size), BinaryPrimitives.ReadUInt16BigEndian(size.AsSpan(2)));
    }

    /// <summary>Width and height from a JPEG's start-of-frame marker.</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        for (var at = 2; at + 9 < jpeg.Length;)
        {
            Assert.Equal(0xFF, jpeg[at]);
            var marker = jpeg[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
            if (marker is >= 0xC0 and <= 0xC3)
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 5)));
            }

            at += 2 + length;
        }

        throw new InvalidDataException("the snapshot has no JPEG start-of-frame marker");
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    private sealed record RunningTunnel(ChildProcess Process, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
