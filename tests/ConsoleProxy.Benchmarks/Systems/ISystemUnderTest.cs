using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>A way to reach the targets: straight, through websockify, or through consoleproxy.</summary>
public interface ISystemUnderTest : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The relay's process (for memory); null when there is none (direct TCP).</summary>
    int? ProcessId { get; }

    /// <summary>One new session to the target in <paramref name="mode"/>: token lookup, upgrade and dial included.</summary>
    Task<IBenchConnection> ConnectAsync(TargetMode mode, CancellationToken cancellationToken);

    /// <summary>The same, for a thread of its own to drive with blocking calls (throughput, round trip).</summary>
    IBlockingBenchConnection Connect(TargetMode mode);
}
