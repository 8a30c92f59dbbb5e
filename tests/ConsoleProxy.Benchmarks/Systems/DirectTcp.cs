using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>No relay at all: the client talks TCP to the target, the upper bound for everything else.</summary>
public sealed class DirectTcp(TargetSet targets) : ISystemUnderTest
{
    public string Name => "direct TCP";

    public int? ProcessId => null;

    public Task<IBenchConnection> ConnectAsync(TargetMode mode, CancellationToken cancellationToken) =>
        TcpConnection.ConnectAsync(targets[mode].Port, cancellationToken);

    public IBlockingBenchConnection Connect(TargetMode mode) => TcpConnection.Connect(targets[mode].Port);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
