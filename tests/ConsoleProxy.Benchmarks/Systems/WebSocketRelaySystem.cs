using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// A WebSocket-to-TCP relay running as its own process, reached with one token URL per target:
/// websockify and consoleproxy differ only in how they are started (see their factories).
/// </summary>
public sealed class WebSocketRelaySystem(string name, RelayProcess process, HttpMessageInvoker invoker, IReadOnlyDictionary<TargetMode, Uri> urls)
    : ISystemUnderTest
{
    public string Name => name;

    public int? ProcessId => process.Id;

    public Task<IBenchConnection> ConnectAsync(TargetMode mode, CancellationToken cancellationToken) =>
        WebSocketBenchConnection.ConnectAsync(urls[mode], invoker, cancellationToken);

    public IBlockingBenchConnection Connect(TargetMode mode) => BlockingWebSocketConnection.Connect(urls[mode]);

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
