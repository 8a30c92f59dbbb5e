using TestKit.Repository;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TestKit.Network;
using TestKit.Processes;

namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// `make demo` (proxy/demo/demo.sh) against the built proxy, so the demo cannot silently break:
/// its check mode passes, its links open the VM console in Chromium, and TERM stops everything it
/// started. The proxy port is a free one (DEMO_PORT) so tests never clash with a demo on 6080.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed partial class DemoScriptTests(ConsoleStack stack)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private static string Script => Path.Combine(Checkout.Root, "proxy", "demo", "demo.sh");

    [Fact]
    public async Task The_check_mode_opens_the_console_through_the_proxy_and_stops_everything()
    {
        var proxyPort = FreeTcpPort.Next();

        var result = await Command.RunAsync(Script, ["--check"], CheckTimeout, DemoEnvironment(proxyPort));

        Assert.True(result.ExitCode == 0, $"demo.sh --check failed: {result}");
        Assert.Contains("OK: make demo works", result.Output, StringComparison.Ordinal);
        Assert.False(await IsListeningAsync(proxyPort), "the demo's proxy still listens after the check");
    }

    [Fact]
    public async Task The_printed_link_shows_the_VM_console_and_TERM_stops_everything_the_demo_started()
    {
        var proxyPort = FreeTcpPort.Next();
        var environment = DemoEnvironment(proxyPort).Select(variable => $"{variable.Key}={variable.Value}");
        await using var demo = ChildProcess.Start("/usr/bin/env", [.. environment, Script]);
        var output = await WaitForOutputAsync(demo, "vnc_auto.html?path=", StartTimeout);
        var link = LiteLink().Match(output);
        var redis = RedisLine().Match(output);
        var vm = VmLine().Match(output);
        var serialLink = SerialLink().Match(output);
        var serialVm = SerialVmLine().Match(output);
        var spiceLink = SpiceLink().Match(output);
        var spiceVm = SpiceVmLine().Match(output);
        Assert.True(link.Success && redis.Success && vm.Success && serialLink.Success && serialVm.Success && spiceLink.Success && spiceVm.Success, $"the demo printed no link or addresses:\n{output}");
        Assert.StartsWith($"http://127.0.0.1:{proxyPort}/", link.Value, StringComparison.Ordinal);

        await using (var page = await stack.Chromium.OpenAsync(link.Value))
        {
            await page.CheckAsync(nameof(The_printed_link_shows_the_VM_console_and_TERM_stops_everything_the_demo_started), async page =>
            {
                Assert.Equal("connected", await page.WaitForStateAsync(TimeSpan.FromSeconds(20), "connected", "disconnected", "failed"));
                await page.WaitForPictureAsync(TimeSpan.FromSeconds(15));
            });
        }

        await using (var page = await stack.Chromium.OpenAsync(serialLink.Value))
        {
            await page.CheckAsync(nameof(The_printed_link_shows_the_VM_console_and_TERM_stops_everything_the_demo_started) + "-serial", async page =>
            {
                Assert.Equal("connected", await page.WaitForStateAsync(TimeSpan.FromSeconds(20), "connected", "disconnected", "failed"));

                // The serial VM's kernel boots again about every 15 s (panic=10, emulated without KVM).
                await page.Page.WaitForFunctionAsync(
                    // The whole buffer, scrollback included: under load the banner scrolls off the screen between polls.
                    "text => { const b = window.serialTerminal?.buffer.active; if (!b) return false; for (let i = 0; i < b.length; i++) { if (b.getLine(i)?.translateToString(true).includes(text)) return true; } return false; }",
                    "Linux version",
                    new Microsoft.Playwright.PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 200 });
            });
        }

        await using (var page = await stack.Chromium.OpenAsync(spiceLink.Value))
        {
            await page.CheckAsync(nameof(The_printed_link_shows_the_VM_console_and_TERM_stops_everything_the_demo_started) + "-spice", async page =>
            {
                Assert.Equal("connected", await page.WaitForStateAsync(TimeSpan.FromSeconds(30), "connected", "disconnected", "failed"));
                var picture = await page.WaitForPictureAsync(TimeSpan.FromSeconds(30));
                Assert.True(picture.ShowsSomething, picture.ToString());
            });
        }

        var terminated = await Command.RunAsync("kill", ["-TERM", demo.Id.ToString(CultureInfo.InvariantCulture)], StopTimeout);
        Assert.Equal(0, terminated.ExitCode);
        await WaitForExitAsync(demo, StopTimeout);

        var redisPort = int.Parse(redis.Groups["port"].Value, CultureInfo.InvariantCulture);
        var vncPort = int.Parse(vm.Groups["port"].Value, CultureInfo.InvariantCulture);
        var serialPort = int.Parse(serialVm.Groups["port"].Value, CultureInfo.InvariantCulture);
        var spicePort = int.Parse(spiceVm.Groups["port"].Value, CultureInfo.InvariantCulture);
        foreach (var (name, port) in new[] { ("proxy", proxyPort), ("redis-server", redisPort), ("QEMU", vncPort), ("serial QEMU", serialPort), ("SPICE QEMU", spicePort) })
        {
            Assert.False(await IsListeningAsync(port), $"{name} still listens on {port} after TERM:\n{demo.Output}");
        }

        Assert.False(Directory.Exists(redis.Groups["directory"].Value), $"the demo left {redis.Groups["directory"].Value} behind");
    }

    [Fact]
    public async Task Ctrl_C_ends_the_demo_quietly_with_0()
    {
        var proxyPort = FreeTcpPort.Next();
        var environment = DemoEnvironment(proxyPort).Select(variable => $"{variable.Key}={variable.Value}");

        // setsid: the demo leads its own process group, as a terminal's foreground job does, so one SIGINT to the
        // group is exactly what Ctrl-C sends: to the script and every part it started at once.
        await using var demo = ChildProcess.Start("/usr/bin/setsid", ["/usr/bin/env", .. environment, Script]);
        await WaitForOutputAsync(demo, "vnc_auto.html?path=", StartTimeout);
        var interrupted = await Command.RunAsync("kill", ["-INT", "--", "-" + demo.Id.ToString(CultureInfo.InvariantCulture)], StopTimeout);
        Assert.Equal(0, interrupted.ExitCode);
        await WaitForExitAsync(demo, StopTimeout);

        Assert.True(demo.ExitCode == 0, $"the demo exited with {demo.ExitCode} on Ctrl-C:\n{demo.Output}");
        Assert.DoesNotContain("stopped unexpectedly", demo.Output, StringComparison.Ordinal);
        Assert.False(await IsListeningAsync(proxyPort), $"the proxy still listens after Ctrl-C:\n{demo.Output}");
    }

    private static Dictionary<string, string> DemoEnvironment(int proxyPort) => new()
    {
        ["DEMO_PORT"] = proxyPort.ToString(CultureInfo.InvariantCulture),
        // The proxy this test run built: the demo skips its own Release build.
        ["DEMO_PROXY_DLL"] = ProxyBuildOutput.Find().Assembly,
    };

    private static async Task<string> WaitForOutputAsync(ChildProcess process, string expected, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!process.Output.Contains(expected, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"the demo did not print '{expected}' within {timeout}:\n{process.Output}");
            }

            await Task.Delay(100);
        }

        return process.Output;
    }

    private static async Task WaitForExitAsync(ChildProcess process, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!process.HasExited)
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"the demo did not stop within {timeout} of TERM:\n{process.Output}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/vnc_lite\.html\?path=websockify%3Ftoken%3D[A-Za-z0-9_-]+")]
    private static partial Regex LiteLink();

    [GeneratedRegex(@"redis-server on 127\.0\.0\.1:(?<port>\d+) \(data in (?<directory>[^)]+)\)")]
    private static partial Regex RedisLine();

    [GeneratedRegex(@"VNC server on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex VmLine();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/serial\.html\?path=websockify%3Ftoken%3D[A-Za-z0-9_-]+")]
    private static partial Regex SerialLink();

    [GeneratedRegex(@"serial port on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex SerialVmLine();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/spice\.html\?path=websockify%3Ftoken%3D[A-Za-z0-9_-]+")]
    private static partial Regex SpiceLink();

    [GeneratedRegex(@"SPICE server on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex SpiceVmLine();
}
