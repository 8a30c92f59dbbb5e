using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>One running <see cref="LoopbackTarget"/> per mode, shared by every system under test (behind TLS with a certificate).</summary>
public sealed class TargetSet(System.Security.Cryptography.X509Certificates.X509Certificate2? tls = null) : IAsyncDisposable
{
    private readonly Dictionary<TargetMode, LoopbackTarget> _targets = Enum.GetValues<TargetMode>().ToDictionary(mode => mode, mode => new LoopbackTarget(mode, tls));

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
