using System.Globalization;
using System.Net.WebSockets;
using ConsoleProxy.Tests.Support;
using TestKit.Processes;

namespace ConsoleProxy.Tests.Hosting;

/// <summary>
/// The serve process writes each log line to stdout in one write(2) (Hosting/StandardOutput.cs): the runtime's own
/// Console.Out cut every audit line into 256-byte writes, seven system calls per console session.
/// </summary>
public sealed class StandardOutputTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Sessions = 10;

    [Fact]
    public async Task Each_log_line_of_a_serving_proxy_reaches_stdout_in_one_write()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await ConsoleProxyProcess.StartAsync(redis.Server.Address);
        var minted = await proxy.MintTokenAsync(target.Target.ToString(), TimeSpan.FromMinutes(10));
        await Poll.UntilAsync(() => LineCount(proxy) > 0, "the proxy's start-up lines");
        var linesBefore = LineCount(proxy);
        var writesBefore = WriteCalls(proxy.Id);

        for (var i = 0; i < Sessions; i++)
        {
            using var client = await ProxyClient.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/websockify?token={minted.Token}"));
            await ProxyClient.SendAsync(client, [1]);
            await ProxyClient.ReceiveExactlyAsync(client, 1);
            using var timeout = new CancellationTokenSource(ProxyClient.Timeout);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        // Every session logs an audit line when it starts (event 2) and one when it ends (event 3).
        await Poll.UntilAsync(() => Count(proxy.Output, "\"EventId\":3,") == Sessions, $"the {Sessions} sessions' end lines");
        var lines = LineCount(proxy) - linesBefore;
        var writes = WriteCalls(proxy.Id) - writesBefore;

        Assert.True(lines >= 2 * Sessions, $"{lines} lines logged for {Sessions} sessions:\n{proxy.Output}");
        Assert.True(writes <= lines, $"{writes} write(2) calls for {lines} log lines (the runtime's Console.Out makes about four per audit line)");
    }

    private static int LineCount(ConsoleProxyProcess proxy) => Count(proxy.Output, "\n");

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The process's write(2)-family calls so far (`syscw` in /proc/ID/io; socket sends are not among them).</summary>
    private static long WriteCalls(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/io").Single(line => line.StartsWith("syscw:", StringComparison.Ordinal));
        return long.Parse(line["syscw:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
