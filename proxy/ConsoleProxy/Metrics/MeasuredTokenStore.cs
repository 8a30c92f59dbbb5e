using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Metrics;

/// <summary>
/// The token store with every call timed and every failure counted by operation
/// (<c>consoleproxy_redis_command_duration_seconds</c>, <c>consoleproxy_redis_command_failures_total</c>).
/// A decorator, so the Redis store itself stays free of metrics. A call the caller cancelled is timed but is not a
/// failure of Redis; a PING that answers "unreachable" is one.
/// </summary>
public sealed class MeasuredTokenStore(ITokenStore inner, ProxyMetrics metrics, TimeProvider timeProvider) : ITokenStore
{
    public Task StoreAsync(TokenHash hash, TokenRecord record, CancellationToken cancellationToken) =>
        MeasureAsync(RedisOperation.Store, async () =>
        {
            await inner.StoreAsync(hash, record, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<TokenLookup> GetAsync(TokenHash hash, CancellationToken cancellationToken) =>
        MeasureAsync(RedisOperation.Lookup, () => inner.GetAsync(hash, cancellationToken), cancellationToken);

    public Task<TokenLookup> RedeemAsync(TokenHash hash, CancellationToken cancellationToken) =>
        MeasureAsync(RedisOperation.Redeem, () => inner.RedeemAsync(hash, cancellationToken), cancellationToken);

    public Task<bool> RevokeAsync(TokenHash hash, CancellationToken cancellationToken) =>
        MeasureAsync(RedisOperation.Revoke, () => inner.RevokeAsync(hash, cancellationToken), cancellationToken);

    public Task<IAsyncDisposable> SubscribeRevocationsAsync(Func<TokenHash, ValueTask> onRevoked, CancellationToken cancellationToken) =>
        MeasureAsync(RedisOperation.Subscribe, () => inner.SubscribeRevocationsAsync(onRevoked, cancellationToken), cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        var reachable = await MeasureAsync(RedisOperation.Ping, () => inner.PingAsync(cancellationToken), cancellationToken);
        if (!reachable)
        {
            metrics.RedisCommandFailures.Increment(RedisOperation.Ping);
        }

        return reachable;
    }

    private async Task<T> MeasureAsync<T>(RedisOperation operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            return await call();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            metrics.RedisCommandFailures.Increment(operation);
            throw;
        }
        finally
        {
            metrics.RedisCommandDuration.Observe(operation, timeProvider.GetElapsedTime(started));
        }
    }
}
