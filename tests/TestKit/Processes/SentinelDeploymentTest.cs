using Xunit;

namespace TestKit.Processes;

/// <summary>
/// Base of a test class whose every test owns a fresh <see cref="RedisSentinelSet"/> (xunit makes an instance per
/// test, and these tests kill primaries), started before the test and stopped after it.
/// </summary>
public abstract class SentinelDeploymentTest : IAsyncLifetime
{
    /// <summary>The data nodes' password (the sentinels are asked for none).</summary>
    public const string Password = "sentinel deployment secret";

    private RedisSentinelSet? _set;

    protected RedisSentinelSet Set => _set ?? throw new InvalidOperationException("the sentinel deployment is not started");

    public async Task InitializeAsync() => _set = await RedisSentinelSet.StartAsync(Password);

    public async Task DisposeAsync()
    {
        if (_set is not null)
        {
            await _set.DisposeAsync();
        }
    }
}
