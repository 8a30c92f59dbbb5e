using StackExchange.Redis;

namespace ConsoleProxy.Metrics;

/// <summary>
/// Counts changes of the Redis primary (<c>consoleproxy_redis_failovers_total</c>). StackExchange.Redis raises
/// configuration events on a Sentinel switch-master, a master-changed broadcast or a reconnect, but also for changes
/// that move nothing; so each event (and each scrape, in case an event was missed) only re-reads which connected
/// server is the primary, and a failover is counted when that endpoint differs from the last one seen.
/// </summary>
public sealed class RedisFailoverWatcher : IDisposable
{
    private readonly IConnectionMultiplexer _connection;
    private readonly ProxyMetrics _metrics;
    private readonly Lock _lock = new();
    private string? _primary;

    public RedisFailoverWatcher(IConnectionMultiplexer connection, ProxyMetrics metrics)
    {
        _connection = connection;
        _metrics = metrics;
        _primary = CurrentPrimary();
        _connection.ConfigurationChanged += OnChanged;
        _connection.ConfigurationChangedBroadcast += OnChanged;
        _connection.ConnectionRestored += OnRestored;
        metrics.Collectors.AddBeforeCollectCallback(Check);
    }

    /// <summary>The primary last seen (HOST:PORT), or null while none is connected.</summary>
    public string? Primary
    {
        get
        {
            lock (_lock)
            {
                return _primary;
            }
        }
    }

    /// <summary>Re-reads the primary and counts a failover when it moved to another server.</summary>
    public void Check()
    {
        var current = CurrentPrimary();
        if (current is null)
        {
            // Between the old primary going away and the new one being found: not a change yet.
            return;
        }

        lock (_lock)
        {
            if (_primary is not null && !string.Equals(_primary, current, StringComparison.Ordinal))
            {
                _metrics.RedisFailoverSeen();
            }

            _primary = current;
        }
    }

    public void Dispose()
    {
        _connection.ConfigurationChanged -= OnChanged;
        _connection.ConfigurationChangedBroadcast -= OnChanged;
        _connection.ConnectionRestored -= OnRestored;
    }

    private void OnChanged(object? sender, EndPointEventArgs e) => Check();

    private void OnRestored(object? sender, ConnectionFailedEventArgs e) => Check();

    private string? CurrentPrimary()
    {
        try
        {
            var primary = _connection.GetServers().FirstOrDefault(server => server.IsConnected && !server.IsReplica);
            return primary?.EndPoint.ToString();
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }
}
