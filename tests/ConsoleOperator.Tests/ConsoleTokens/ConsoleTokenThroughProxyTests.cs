using TestKit.Processes;
using System.Net.WebSockets;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using TestKit.Network;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>What the operator mints, used through the real proxy process reading the same Redis.</summary>
public sealed class ConsoleTokenThroughProxyTests : IAsyncLifetime
{
    private TokenCluster _cluster = null!;
    private ConsoleProxyProcess _proxy = null!;
    private TcpEchoTarget _target = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync();
        _target = TcpEchoTarget.Start();
        var port = FreeTcpPort.Next();
        await _cluster.CreateProxyAsync(publicUrl: $"http://127.0.0.1:{port}");
        _proxy = await ConsoleProxyProcess.StartAsync(
            port, _cluster.Redis.Address, "--key-prefix", _cluster.KeyPrefix, "--allowed-target", "127.0.0.1/32", "--drain-timeout", "0");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _target.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task The_url_in_the_secret_opens_a_session_that_relays_bytes_to_the_target()
    {
        var url = await MintAsync("vm-ok");
        Assert.StartsWith($"http://127.0.0.1:{_proxy.Port}/vnc_lite.html?path=websockify%3Ftoken%3D", url, StringComparison.Ordinal);

        using var session = await ConnectAsync(url);
        var reply = await EchoAsync(session, "RFB 003.008\n"u8.ToArray());

        Assert.Equal("RFB 003.008\n"u8.ToArray(), reply);
    }

    [Fact]
    public async Task Deleting_the_console_token_closes_its_live_session_with_4001()
    {
        var url = await MintAsync("vm-live");
        using var session = await ConnectAsync(url);
        await EchoAsync(session, [1, 2, 3]);

        await _cluster.Tokens.InNamespace(TokenCluster.Namespace).DeleteAsync("vm-live");
        await _cluster.ReconcileAsync("vm-live");

        var buffer = new byte[64];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        WebSocketReceiveResult result;
        do
        {
            result = await session.ReceiveAsync(buffer, deadline.Token);
        }
        while (result.MessageType != WebSocketMessageType.Close);
        Assert.Equal(4001, (int?)session.CloseStatus);
        await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(url));
    }

    [Fact]
    public async Task After_a_redis_flush_the_operator_rebuilds_the_token_and_the_url_works_again()
    {
        var url = await MintAsync("vm-flush");
        await _cluster.Redis.CommandAsync("FLUSHALL");
        await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(url));

        await _cluster.Monitor.CheckAllAsync(CancellationToken.None);
        await _cluster.ReconcileAsync("vm-flush");

        using var session = await ConnectAsync(url);
        Assert.Equal(new byte[] { 9, 8, 7 }, await EchoAsync(session, [9, 8, 7]));
    }

    private async Task<string> MintAsync(string name)
    {
        await _cluster.CreateTokenAsync(name, port: _target.Port);
        await _cluster.ReconcileAsync(name);
        var token = await _cluster.GetTokenAsync(name);
        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        var minted = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync(name))!, out var problem);
        Assert.True(minted is not null, problem);
        return minted.Url;
    }

    private async Task<ClientWebSocket> ConnectAsync(string accessUrl)
    {
        var client = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.ConnectAsync(WebSocketUri(accessUrl), deadline.Token);
            return client;
        }
        catch (WebSocketException exception)
        {
            client.Dispose();
            throw new WebSocketException($"{exception.Message}\n--- proxy output ---\n{_proxy.Output}", exception);
        }
    }

    private static async Task<byte[]> EchoAsync(ClientWebSocket session, byte[] payload)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await session.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage: true, deadline.Token);
        var received = new List<byte>();
        var buffer = new byte[256];
        while (received.Count < payload.Length)
        {
            var result = await session.ReceiveAsync(buffer, deadline.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            received.AddRange(buffer.AsSpan(0, result.Count).ToArray());
        }

        return [.. received];
    }

    /// <summary>
    /// The WebSocket address noVNC opens for an access URL: the page's origin plus the `path` parameter (decoded once,
    /// as noVNC does), e.g. `ws://127.0.0.1:P/websockify?token=...`.
    /// </summary>
    private static Uri WebSocketUri(string accessUrl)
    {
        var url = new Uri(accessUrl);
        var query = url.Query.TrimStart('?').Split('&').Select(part => part.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty);
        var path = Uri.UnescapeDataString(query["path"]);
        return new Uri($"ws://{url.Authority}/{path.TrimStart('/')}");
    }
}
