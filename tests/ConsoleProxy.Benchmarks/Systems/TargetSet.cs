using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>One running <see cref="LoopbackTarget"/> per mode, shared by every system under test.</summary>
public sealed class TargetSet : IAsyncDisposable
{
    private readonly Dictionary<TargetMode, LoopbackTarget> _targets = Enum.GetValues<TargetMode>().ToDictionary(mode => mode, mode => new LoopbackTarget(mode));

    public LoopbackTarget this[TargetMode mode] => _targets[mode];

    public IEnumerable<LoopbackTarget> All => _targets.Values;

    public async ValueTask DisposeAsync()
    {
        foreach (var target in _targets.Values)
        {
            await target.DisposeAsync();
        }
    }
}
