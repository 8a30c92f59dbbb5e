using System.Net.WebSockets;
using System.Text;
using TestKit.Network;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Serial;

/// <summary>
/// Serial tokens through the real proxy (in process, real Redis): raw bytes to a TCP serial port, their own allow-list,
/// refused by a proxy that does not serve them, view-only dropping all input, and the VNC session guards.
/// </summary>
public sealed class SerialSessionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static string Failure(string reason) => $"consoleproxy_authorization_failures_total{{reason=\"{reason}\"}}";

    [Fact]
    public async Task A_serial_token_is_refused_by_a_proxy_that_serves_only_VNC_and_says_why()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Serial);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(403, status);
        Assert.Equal(0, target.Accepted);
        Assert.Contains("Session refused with 403: this proxy does not serve serial consoles", proxy.Logs.All, StringComparison.Ordinal);
        Assert.Equal(1, after[Failure("kind_not_served")] - before[Failure("kind_not_served")]);
    }

    [Fact]
    public async Task A_serial_token_relays_raw_bytes_from_the_first_byte_even_where_VNC_sessions_get_the_RFB_security_proxy()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with
        {
            Kinds = ["vnc", "serial"],
            AllowedTargets = ["10.0.0.0/8:5900-5999"],
            SerialAllowedTargets = [$"127.0.0.1/32:{target.Port}"],
            TargetAuthSchemes = ["none"],
        });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Serial);

        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        var line = Encoding.ASCII.GetBytes("RFB 003.008\n is not a greeting here\r\n");
        await ProxyClient.SendAsync(client, line);

        Assert.Equal(line, await ProxyClient.ReceiveExactlyAsync(client, line.Length));
        Assert.Contains("kind serial", proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_VNC_token_cannot_reach_a_serial_port_and_a_serial_token_cannot_reach_a_VNC_port()
    {
        await using var serialPort = TcpEchoTarget.Start();
        await using var vncPort = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with
        {
            Kinds = ["vnc", "serial"],
            AllowedTargets = [$"127.0.0.1/32:{vncPort.Port}"],
            SerialAllowedTargets = [$"127.0.0.1/32:{serialPort.Port}"],
        });
        var vncTokenToSerialPort = await proxy.MintAsync(serialPort.Target);
        var serialTokenToVncPort = await proxy.MintAsync(vncPort.Target, kind: ConsoleKind.Serial);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        var (vncStatus, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={vncTokenToSerialPort}"));
        var (serialStatus, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={serialTokenToVncPort}"));
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(403, vncStatus);
        Assert.Equal(403, serialStatus);
        Assert.Equal(0, serialPort.Accepted);
        Assert.Equal(0, vncPort.Accepted);
        Assert.Equal(2, after[Failure("target_not_allowed")] - before[Failure("target_not_allowed")]);

        // Each passes its own kind's list.
        using var vnc = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={await proxy.MintAsync(vncPort.Target)}"));
        using var serial = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={await proxy.MintAsync(serialPort.Target, kind: ConsoleKind.Serial)}"));
        await ProxyClient.SendAsync(serial, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, await ProxyClient.ReceiveExactlyAsync(serial, 3));
    }

    [Fact]
    public async Task Revoking_a_serial_token_closes_its_live_session_with_4001()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["serial"] });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Serial);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [7]);
        Assert.Equal(new byte[] { 7 }, await ProxyClient.ReceiveExactlyAsync(client, 1));

        Assert.True(await proxy.App.Store.RevokeAsync(TokenHash.Of(token), CancellationToken.None));

        var (code, reason) = await ProxyClient.ReceiveCloseAsync(client, Patience);
        Assert.Equal(4001, code);
        Assert.Equal("token revoked", reason);
    }

    [Fact]
    public async Task A_serial_session_is_closed_at_its_max_duration_like_a_VNC_one()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["serial"], MaxDuration = TimeSpan.FromSeconds(1) });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Serial);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));

        var (code, _) = await ProxyClient.ReceiveCloseAsync(client, Patience);

        Assert.Equal(4004, code);
    }

    [Fact]
    public async Task An_idle_serial_session_is_closed_with_4003()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["serial"], IdleTimeout = TimeSpan.FromSeconds(1) });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Serial);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));

        var (code, _) = await ProxyClient.ReceiveCloseAsync(client, Patience);

        Assert.Equal(4003, code);
    }

    [Fact]
    public async Task A_draining_proxy_closes_serial_sessions_with_1001()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["serial"], DrainTimeout = TimeSpan.FromSeconds(1) });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Serial);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.SendAsync(client, [5]);
        Assert.Equal(new byte[] { 5 }, await ProxyClient.ReceiveExactlyAsync(client, 1));

        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stopping = proxy.App.StopAsync(stopTimeout.Token);
        var (code, _) = await ProxyClient.ReceiveCloseAsync(client, Patience);
        await stopping;

        Assert.Equal(1001, code);
    }

    [Fact]
    public async Task A_serial_token_takes_no_screenshot_and_dials_nothing()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["vnc", "serial"] });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Serial);
        using var http = new HttpClient();

        using var response = await http.GetAsync(proxy.Url($"/screenshot?token={token}", "http"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("a serial console has no screen", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, target.Accepted);
    }

    [Fact]
    public async Task A_view_only_serial_session_shows_the_output_but_its_typing_never_reaches_the_shell()
    {
        await using var shell = await SerialShell.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["serial"] });
        var viewOnlyToken = await proxy.MintAsync(new(shell.Address.Split(':')[0], shell.Port), flags: TokenFlags.ViewOnly, kind: ConsoleKind.Serial);
        var token = await proxy.MintAsync(new(shell.Address.Split(':')[0], shell.Port), kind: ConsoleKind.Serial);
        using var viewer = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={viewOnlyToken}"));
        using var typist = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));

        // Output flows to the viewer: its shell's prompt.
        Assert.Contains(SerialShell.Prompt, await ReceiveUntilAsync(viewer, SerialShell.Prompt), StringComparison.Ordinal);
        await ReceiveUntilAsync(typist, SerialShell.Prompt);

        await ProxyClient.SendAsync(viewer, Encoding.ASCII.GetBytes("touch viewer-typed\r"));
        await ProxyClient.SendAsync(typist, Encoding.ASCII.GetBytes("touch typist-typed; echo done-$((6*7))\r"));

        // The typist's command ran (its output came back), so the viewer's, sent first, had every chance to.
        await ReceiveUntilAsync(typist, "done-42");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.True(File.Exists(Path.Combine(shell.Directory, "typist-typed")));
        Assert.False(File.Exists(Path.Combine(shell.Directory, "viewer-typed")));
    }

    private static async Task<string> ReceiveUntilAsync(WebSocket client, string expected)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            WebSocketReceiveResult result;
            try
            {
                result = await client.ReceiveAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException e)
            {
                throw new TimeoutException($"'{expected}' did not arrive within {Patience}; received so far: '{text}'", e);
            }

            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        return text.ToString();
    }
}
