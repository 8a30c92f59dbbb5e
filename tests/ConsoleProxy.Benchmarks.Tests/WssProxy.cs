using ConsoleProxy.Benchmarks.Systems;
using TestKit.Processes;
using Xunit;

namespace ConsoleProxy.Benchmarks.Tests;

/// <summary>
/// The real consoleproxy (the build beside the tests) serving wss with a fresh certificate, in front of the
/// benchmark's stand-in targets and a real redis-server: started once for <see cref="ProxyTlsTests"/>.
/// </summary>
public sealed class WssProxy : IAsyncLifetime
{
    private RedisServer? _redis;
    private WebSocketRelaySystem? _system;

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("consoleproxy-bench-tls-").FullName;

    public TargetSet Targets { get; } = new();

    public WebSocketRelaySystem Proxy => _system ?? throw new InvalidOperationException("the wss proxy was not started");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var proxy = Path.Combine(ProxyBuildOutput.Find().Directory, "consoleproxy");
        _system = await ConsoleProxySystem.StartAsync(proxy, _redis, Targets, WorkDirectory, serving: ProxyCertificate.Create(WorkDirectory));
    }

    public async Task DisposeAsync()
    {
        if (_system is not null)
        {
            await _system.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await Targets.DisposeAsync();
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
