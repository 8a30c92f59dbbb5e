namespace ConsoleOperator.Controllers.Sessions;

/// <summary>What one session sweep did: for the bound on status writes (and its tests).</summary>
/// <param name="StoresRead">Token stores whose sessions were listed (one read each).</param>
/// <param name="StoresUnreadable">Token stores that could not be read; their statuses were left as they were.</param>
/// <param name="TokenStatusWrites">ConsoleToken status patches sent (at most one per token).</param>
/// <param name="ProxyStatusWrites">ConsoleProxy status patches sent (at most one per proxy).</param>
/// <param name="Sessions">Live sessions seen across every store.</param>
public sealed record SessionSweepResult(int StoresRead, int StoresUnreadable, int TokenStatusWrites, int ProxyStatusWrites, int Sessions)
{
    /// <summary>A sweep of no store.</summary>
    public static SessionSweepResult None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Both sweeps' counts added up (the sweeps of several proxies as one).</summary>
    public SessionSweepResult Plus(SessionSweepResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            StoresRead + other.StoresRead,
            StoresUnreadable + other.StoresUnreadable,
            TokenStatusWrites + other.TokenStatusWrites,
            ProxyStatusWrites + other.ProxyStatusWrites,
            Sessions + other.Sessions);
    }
}
