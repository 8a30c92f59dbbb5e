using TestKit.Processes;
using ConsoleProxy.Configuration;
using ConsoleProxy.Hosting;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Tests.Support;

/// <summary>The real proxy, in process, on a free loopback port, against a real redis-server.</summary>
public sealed class TestProxy : IAsyncDisposable
{
    public const string DebianNoVnc = "/usr/share/novnc";

    private TestProxy(ProxyApplication app, CapturedLogs logs, TimeProvider timeProvider)
    {
        App = app;
        Logs = logs;
        TimeProvider = timeProvider;
    }

    public ProxyApplication App { get; }

    public CapturedLogs Logs { get; }

    public TimeProvider TimeProvider { get; }

    public int Port => App.Address.Port;

    public static ProxyOptions DefaultOptions(RedisServer redis) => new()
    {
        Host = "127.0.0.1",
        Port = 0,
        RedisAddress = redis.Address,
        WebRoot = DebianNoVnc,
        PingInterval = TimeSpan.Zero,
        DrainTimeout = TimeSpan.Zero,
        DialTimeout = TimeSpan.FromSeconds(2),
    };

    public static async Task<TestProxy> StartAsync(RedisServer redis, Func<ProxyOptions, ProxyOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = DefaultOptions(redis);
        options = configure?.Invoke(options) ?? options;
        var logs = new CapturedLogs();
        var clock = timeProvider ?? TimeProvider.System;
        var app = await ProxyApplication.StartAsync(
            options,
            clock,
            logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Debug);
            },
            CancellationToken.None);
        var proxy = new TestProxy(app, logs, clock);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.RevocationsSubscribed.WaitAsync(timeout.Token);
        return proxy;
    }

    public Uri Url(string pathAndQuery, string scheme = "ws") => new($"{scheme}://127.0.0.1:{Port}{pathAndQuery}");

    /// <summary>Mints and stores a token the way the operator and the CLI do; returns the raw token.</summary>
    public async Task<string> MintAsync(ConsoleTarget target, TimeSpan? ttl = null, TokenFlags flags = TokenFlags.None, ConsoleKind kind = ConsoleKind.Vnc, string? serverName = null)
    {
        var token = AccessToken.Mint();
        var record = new TokenRecord(target, TimeProvider.GetUtcNow() + (ttl ?? TimeSpan.FromMinutes(10)), flags, "tests/console", "vm-1", Kind: kind, ServerName: serverName);
        await App.Store.StoreAsync(TokenHash.Of(token), record, CancellationToken.None);
        return token;
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
