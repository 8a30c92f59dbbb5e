using TestKit.Processes;
using System.Diagnostics;
using System.Net;
using TestKit.Network;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Cli;

public sealed class ExecutableTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_executable_serves_by_default_and_on_SIGTERM_closes_sessions_with_1001_and_exits_0()
    {
        await using var target = TcpEchoTarget.Start();
        var port = FreeTcpPort.Next();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "consoleproxy"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--web", TestProxy.DebianNoVnc })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CONSOLEPROXY_REDIS"] = redis.Server.Address;
        start.Environment["CONSOLEPROXY_DRAIN_TIMEOUT"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(20), () => "consoleproxy did not start");
            var (exitCode, url, _) = await CliRunner.RunAsync(["token", "create", "--redis", redis.Server.Address, "--target", target.Target.ToString()]);
            Assert.Equal(0, exitCode);
            var token = Uri.UnescapeDataString(url.Trim()[(url.IndexOf("token%3D", StringComparison.Ordinal) + "token%3D".Length)..]);
            using var client = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/websockify?token={token}"));
            await ProxyClient.SendAsync(client, [1]);
            Assert.Equal(new byte[] { 1 }, await ProxyClient.ReceiveExactlyAsync(client, 1));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var (code, _) = await ProxyClient.ReceiveCloseAsync(client);
            using var exitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(exitTimeout.Token);

            Assert.Equal(1001, code);
            Assert.Equal(0, process.ExitCode);
            var logs = await output;
            Assert.Contains("\"EventId\":3", logs, StringComparison.Ordinal);
            Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
