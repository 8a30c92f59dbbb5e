using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// A WebSocket-to-TCP relay running as its own process, reached with one token URL per target:
/// websockify and consoleproxy differ only in how they are started (see their factories).
/// </summary>
public sealed class WebSocketRelaySystem(string name, RelayProcess process, IReadOnlyDictionary<TargetMode, Uri> urls, ProxyCertificate? serving = null)
    : ISystemUnderTest
{
    public string Name => name;

    public int? ProcessId => process.Id;

    /// <summary>The session URL (with its token) for the target in <paramref name="mode"/>.</summary>
    public Uri Url(TargetMode mode) => urls[mode];

    public Task<IBenchConnection> ConnectAsync(TargetMode mode, CancellationToken cancellationToken) =>
        WebSocketConnection.ConnectAsync(urls[mode], ReceiveBufferSize(mode), serving, cancellationToken);

    public IBlockingBenchConnection Connect(TargetMode mode) => WebSocketConnection.Connect(urls[mode], ReceiveBufferSize(mode), serving);

    // Thousands of greeting and live-console sessions stay open at once in the benchmark's own process: keep them small.
    private static int ReceiveBufferSize(TargetMode mode) => mode switch
    {
        TargetMode.Greeting => 1024,
        TargetMode.Console => 64 * 1024,
        _ => 256 * 1024,
    };

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
