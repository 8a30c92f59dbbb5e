using System.Net.WebSockets;
using TestKit.Processes;
using ConsoleProxy.Configuration;
using ConsoleProxy.Hosting;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.Hardening;

/// <summary>
/// A proxy under attack with one good session open next to it: after every attack the good session
/// must still relay, and the session gauge must come back to exactly that one session (no leak).
/// </summary>
public sealed class HardenedProxy : IAsyncDisposable
{
    private readonly TcpEchoTarget _target;
    private ClientWebSocket? _good;

    private HardenedProxy(TcpEchoTarget target, TestProxy proxy)
    {
        _target = target;
        Proxy = proxy;
    }

    public TestProxy Proxy { get; }

    public TcpEchoTarget Target => _target;

    public int Port => Proxy.Port;

    public static async Task<HardenedProxy> StartAsync(RedisServer redis, Func<ProxyOptions, ProxyOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var target = TcpEchoTarget.Start();
        var proxy = await TestProxy.StartAsync(redis, configure, timeProvider);
        var hardened = new HardenedProxy(target, proxy);
        var token = await proxy.MintAsync(target.Target, ttl: TimeSpan.FromHours(1));
        hardened._good = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await hardened.AssertGoodSessionWorksAsync();
        return hardened;
    }

    public async Task AssertGoodSessionWorksAsync()
    {
        var data = new byte[64];
        Random.Shared.NextBytes(data);
        await ProxyClient.SendAsync(_good!, data);
        Assert.Equal(data, await ProxyClient.ReceiveExactlyAsync(_good!, data.Length));
    }

    /// <summary>Only the good session is left: registry, slots and the exported gauge all agree.</summary>
    public async Task AssertOnlyTheGoodSessionIsLeftAsync()
    {
        await Poll.UntilAsync(() => Proxy.App.Sessions.Count == 1 && Proxy.App.Sessions.Reserved == 1, "the attack's sessions to be gone");
        Assert.Equal(1, (await MetricsScrape.TakeAsync(Port))["consoleproxy_sessions_active"]);
        await AssertGoodSessionWorksAsync();
    }

    /// <summary>For attacks that end every session: the close code the good session got.</summary>
    public async Task<int?> ReceiveGoodSessionCloseAsync() => (await ProxyClient.ReceiveCloseAsync(_good!)).Code;

    /// <summary>Ends the good session; afterwards the gauge is 0.</summary>
    public async Task CloseGoodSessionAsync()
    {
        using (var timeout = new CancellationTokenSource(ProxyClient.Timeout))
        {
            await _good!.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }

        await Poll.UntilAsync(() => Proxy.App.Sessions.Reserved == 0, "the good session to end");
        Assert.Equal(0, (await MetricsScrape.TakeAsync(Port))["consoleproxy_sessions_active"]);
    }

    public async ValueTask DisposeAsync()
    {
        _good?.Dispose();
        await Proxy.DisposeAsync();
        await _target.DisposeAsync();
    }
}
