using System.Net;
using System.Net.WebSockets;
using TestKit.Network;
using TestKit.Polling;
using TestKit.Time;
using ConsoleProxy.Spice;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Spice;

/// <summary>
/// SPICE tokens through the real proxy (in process, real Redis) to a real SPICE server (QEMU): raw bytes, one session
/// per SPICE channel, a single-use token admitting one client's channels for <see cref="SpiceChannelWindow.Window"/>,
/// revocation closing every channel, SPICE's own allow-list, and refusals that say why.
/// </summary>
public sealed class SpiceSessionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly IPAddress OtherClient = IPAddress.Parse("127.0.0.2");

    private static readonly byte[] Channels = [SpiceLink.MainChannel, SpiceLink.DisplayChannel, SpiceLink.InputsChannel, SpiceLink.CursorChannel];

    private static string Failure(string reason) => $"consoleproxy_authorization_failures_total{{reason=\"{reason}\"}}";

    private static Func<ConsoleProxy.Configuration.ProxyOptions, ConsoleProxy.Configuration.ProxyOptions> ServingSpice(int spicePort) => options => options with
    {
        Kinds = ["vnc", "spice"],
        AllowedTargets = ["10.0.0.0/8:5900-5999"],
        SpiceAllowedTargets = [$"127.0.0.1/32:{spicePort}"],
    };

    [Fact]
    public async Task Every_channel_of_a_SPICE_client_links_to_QEMU_through_the_proxy_as_a_session_of_the_one_token()
    {
        await using var vm = await QemuSpiceVm.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis.Server, ServingSpice(vm.Port));
        var token = await proxy.MintAsync(ConsoleTarget.Parse(vm.Address), kind: ConsoleKind.Spice);

        var sockets = new List<ClientWebSocket>();
        try
        {
            foreach (var channel in Channels)
            {
                var socket = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"), o => o.AddSubProtocol("binary"));
                sockets.Add(socket);
                var error = await SpiceLink.LinkAsync(socket, channel);
                if (channel == SpiceLink.MainChannel)
                {
                    Assert.Equal(0u, error);
                }
            }

            Assert.Equal(Channels.Length, proxy.App.Sessions.Count);
            Assert.Equal(Channels.Length, CountOccurrences(proxy.Logs.All, "kind spice"));
            Assert.All(sockets, socket => Assert.Equal("binary", socket.SubProtocol));
        }
        finally
        {
            sockets.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task Revoking_a_SPICE_token_closes_every_channel_with_4001()
    {
        await using var vm = await QemuSpiceVm.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis.Server, ServingSpice(vm.Port));
        var token = await proxy.MintAsync(ConsoleTarget.Parse(vm.Address), kind: ConsoleKind.Spice, flags: TokenFlags.SingleUse);
        var sockets = new List<ClientWebSocket>();
        try
        {
            foreach (var channel in Channels)
            {
                var socket = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
                sockets.Add(socket);
                await SpiceLink.LinkAsync(socket, channel);
            }

            await proxy.App.Store.RevokeAsync(TokenHash.Of(token), CancellationToken.None);

            foreach (var socket in sockets)
            {
                var (code, reason) = await ProxyClient.ReceiveCloseAsync(socket);
                Assert.Equal(4001, code);
                Assert.Equal("token revoked", reason);
            }

            // The single-use token's window closed with the revocation: no channel joins afterwards.
            var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
            Assert.Equal(403, status);
            await Poll.UntilAsync(() => proxy.App.Sessions.Count == 0, "every channel's session to end");
        }
        finally
        {
            sockets.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task A_single_use_SPICE_token_admits_the_channels_of_the_client_that_used_it_only_within_the_window()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var vm = await QemuSpiceVm.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis.Server, ServingSpice(vm.Port), clock);
        var token = await proxy.MintAsync(ConsoleTarget.Parse(vm.Address), kind: ConsoleKind.Spice, flags: TokenFlags.SingleUse);
        var url = proxy.Url($"/websockify?token={token}");

        using var main = await ProxyClient.ConnectAsync(url);
        Assert.Equal(0u, await SpiceLink.LinkAsync(main, SpiceLink.MainChannel));
        clock.Advance(SpiceChannelWindow.Window - TimeSpan.FromSeconds(1));
        using var display = await ProxyClient.ConnectAsync(url);
        await SpiceLink.LinkAsync(display, SpiceLink.DisplayChannel);

        // Another client (another address) within the window: the token is spent for it.
        var (otherStatus, _) = await ProxyClient.RefusalFromAsync(OtherClient, url);
        Assert.Equal(403, otherStatus);

        clock.Advance(TimeSpan.FromSeconds(1));
        var (lateStatus, _) = await ProxyClient.RefusalAsync(url);
        Assert.Equal(403, lateStatus);
        Assert.Equal(2, CountOccurrences(proxy.Logs.All, "Session refused with 403: token already used"));
        Assert.Equal(2, proxy.App.Sessions.Count);
    }

    [Fact]
    public async Task A_reusable_SPICE_token_is_not_bound_to_one_client_address()
    {
        await using var vm = await QemuSpiceVm.StartAsync();
        await using var proxy = await TestProxy.StartAsync(redis.Server, ServingSpice(vm.Port));
        var token = await proxy.MintAsync(ConsoleTarget.Parse(vm.Address), kind: ConsoleKind.Spice);

        using var first = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        using var second = await ProxyClient.ConnectFromAsync(OtherClient, proxy.Url($"/websockify?token={token}"));

        Assert.Equal(0u, await SpiceLink.LinkAsync(first, SpiceLink.MainChannel));
        Assert.Equal(0u, await SpiceLink.LinkAsync(second, SpiceLink.MainChannel));
        Assert.Contains("client 127.0.0.2", proxy.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SPICE_token_is_refused_by_a_proxy_that_does_not_serve_SPICE_and_says_why()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["vnc", "serial"] });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Spice);
        var before = await MetricsScrape.TakeAsync(proxy.Port);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));
        var after = await MetricsScrape.TakeAsync(proxy.Port);

        Assert.Equal(403, status);
        Assert.Equal(0, target.Accepted);
        Assert.Contains("Session refused with 403: this proxy does not serve spice consoles", proxy.Logs.All, StringComparison.Ordinal);
        Assert.Equal(1, after[Failure("kind_not_served")] - before[Failure("kind_not_served")]);
    }

    [Fact]
    public async Task A_SPICE_token_cannot_reach_a_VNC_port_and_a_VNC_token_cannot_reach_a_SPICE_port()
    {
        await using var vncTarget = TcpEchoTarget.Start();
        await using var spiceTarget = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with
        {
            Kinds = ["vnc", "spice"],
            AllowedTargets = [$"127.0.0.1/32:{vncTarget.Port}"],
            SpiceAllowedTargets = [$"127.0.0.1/32:{spiceTarget.Port}"],
        });

        var spiceToVnc = await proxy.MintAsync(vncTarget.Target, kind: ConsoleKind.Spice);
        var vncToSpice = await proxy.MintAsync(spiceTarget.Target);
        Assert.Equal(403, (await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={spiceToVnc}"))).Status);
        Assert.Equal(403, (await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={vncToSpice}"))).Status);
        Assert.Equal(0, vncTarget.Accepted);
        Assert.Equal(0, spiceTarget.Accepted);

        var spiceToSpice = await proxy.MintAsync(spiceTarget.Target, kind: ConsoleKind.Spice);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={spiceToSpice}"));
        await ProxyClient.SendAsync(client, [0x52, 0x45, 0x44, 0x51]);
        Assert.Equal(new byte[] { 0x52, 0x45, 0x44, 0x51 }, await ProxyClient.ReceiveExactlyAsync(client, 4));
    }

    [Fact]
    public async Task A_view_only_SPICE_token_is_refused_with_a_reason_rather_than_relayed_with_input()
    {
        await using var target = TcpEchoTarget.Start();
        await using var proxy = await TestProxy.StartAsync(redis.Server, options => options with { Kinds = ["spice"] });
        var token = await proxy.MintAsync(target.Target, kind: ConsoleKind.Spice, flags: TokenFlags.ViewOnly);

        var (status, _) = await ProxyClient.RefusalAsync(proxy.Url($"/websockify?token={token}"));

        Assert.Equal(403, status);
        Assert.Equal(0, target.Accepted);
        Assert.Contains("view-only SPICE consoles are not supported", proxy.Logs.All, StringComparison.Ordinal);
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
