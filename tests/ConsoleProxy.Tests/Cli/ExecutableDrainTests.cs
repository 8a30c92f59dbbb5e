using TestKit.Processes;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using TestKit.Network;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Cli;

public sealed class ExecutableDrainTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task On_SIGTERM_the_executable_turns_unready_refuses_new_sessions_keeps_live_ones_for_the_drain_period_then_closes_them_with_1001_and_exits_0()
    {
        await using var target = TcpEchoTarget.Start();
        var port = FreeTcpPort.Next();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "consoleproxy"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "serve", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--web", TestProxy.DebianNoVnc, "--redis", redis.Server.Address, "--drain-timeout", "3s" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(20), () => "consoleproxy did not start");
            var (exitCode, url, _) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--target", target.Target.ToString()]);
            Assert.Equal(0, exitCode);
            var token = Uri.UnescapeDataString(url.Trim()[(url.IndexOf("token%3D", StringComparison.Ordinal) + "token%3D".Length)..]);
            Assert.Equal(HttpStatusCode.OK, (await HttpProbe.GetAsync(port, "/readyz")).Status);
            using var client = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/websockify?token={token}"));
            await ProxyClient.SendAsync(client, [1]);
            await ProxyClient.ReceiveExactlyAsync(client, 1);

            var terminated = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var (ready, readyBody) = await WaitForUnreadyAsync(port);
            var unreadyAfter = terminated.Elapsed;
            var (refused, _) = await ProxyClient.RefusalAsync(new Uri($"ws://127.0.0.1:{port}/websockify?token={token}"));
            await ProxyClient.SendAsync(client, [2, 3]);
            var echoed = await ProxyClient.ReceiveExactlyAsync(client, 2);
            var stillLiveAfter = terminated.Elapsed;
            var (code, _) = await ProxyClient.ReceiveCloseAsync(client);
            var closedAfter = terminated.Elapsed;
            using var exitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exitTimeout.Token);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
            Assert.Equal("draining\n", readyBody);
            Assert.True(unreadyAfter < TimeSpan.FromSeconds(2), $"readiness turned false only after {unreadyAfter}");
            Assert.Equal(503, refused);
            Assert.Equal(new byte[] { 2, 3 }, echoed);
            Assert.True(stillLiveAfter < TimeSpan.FromSeconds(3));
            Assert.Equal(1001, code);
            Assert.InRange(closedAfter, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(15));
            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain(token, await output, StringComparison.Ordinal);
            Assert.Equal(string.Empty, (await errors).Trim());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> WaitForUnreadyAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await HttpProbe.GetAsync(port, "/readyz");
            if (status != HttpStatusCode.OK || deadline.Elapsed > TimeSpan.FromSeconds(5))
            {
                return (status, body);
            }

            await Task.Delay(50);
        }
    }
}
