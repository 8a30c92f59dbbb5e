using System.Globalization;
using ConsoleProxy.Tokens.Minting;
using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// The token index in Redis (layout: <see cref="TokenKeySchema"/>). One <see cref="ConnectionMultiplexer"/>
/// per store, meant to be one per process: it multiplexes every command over one connection and
/// keeps a second one for pub/sub. It starts even while Redis is down and reconnects (and
/// resubscribes) by itself; until then every call fails fast with
/// <see cref="TokenStoreUnavailableException"/>, so the proxy answers 503 instead of "unknown token".
/// </summary>
public sealed class RedisTokenStore : ITokenStore, IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _operationTimeout;
    private readonly string _address;
    private int _disposed;

    private RedisTokenStore(ConnectionMultiplexer multiplexer, TokenStoreOptions options, TimeProvider timeProvider)
    {
        _multiplexer = multiplexer;
        _timeProvider = timeProvider;
        _operationTimeout = options.OperationTimeout;
        _address = options.Location;
        Schema = new TokenKeySchema(options.KeyPrefix);
        _multiplexer.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>
    /// Raised when the pub/sub connection is back after a loss. Revocations published meanwhile were
    /// never delivered (pub/sub keeps no history), so a proxy re-checks its live sessions' tokens
    /// here. Raised on a client thread: hand the work off rather than block it.
    /// </summary>
    public event EventHandler? RevocationsMayHaveBeenMissed;

    public TokenKeySchema Schema { get; }

    /// <summary>Whether the command connection is up right now (no round trip; see <see cref="PingAsync"/>).</summary>
    public bool IsConnected => _multiplexer.IsConnected;

    /// <summary>The connection, for observers only (the proxy's failover metric watches its configuration events).</summary>
    public IConnectionMultiplexer Connection => _multiplexer;

    /// <summary>
    /// Creates the store. Does not fail when Redis is unreachable (the first calls then throw
    /// <see cref="TokenStoreUnavailableException"/> until it is back); fails with
    /// <see cref="ArgumentException"/> for malformed options and with
    /// <see cref="TokenStoreRefusedException"/> when Redis answers but refuses them (wrong
    /// password or user, unknown master name, untrusted certificate, cluster mode).
    /// </summary>
    public static async Task<RedisTokenStore> ConnectAsync(TokenStoreOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var configuration = RedisConfiguration.Build(options);

        // First one strict attempt, so a configuration Redis refuses is an error a person sees now;
        // only when Redis is simply unreachable does the store start anyway and reconnect by itself.
        var (multiplexer, refusal) = await ConnectStrictAsync(options, configuration, classify: options.RefuseAtStart, cancellationToken);
        if (refusal is not null)
        {
            throw refusal;
        }

        if (multiplexer is null)
        {
            configuration.AbortOnConnectFail = false;
            multiplexer = await ConnectOnceAsync(configuration, log: null, cancellationToken);
        }

        if (IsCluster(multiplexer))
        {
            multiplexer.Dispose();
            throw RedisRefusals.ClusterMode(options);
        }

        return new RedisTokenStore(multiplexer, options, timeProvider);
    }

    /// <summary>
    /// Whether Redis refuses these options, by one strict connection attempt that is closed again: null when it
    /// accepts them or is merely unreachable (an outage, not a configuration to fix). The operator asks this when its
    /// store fails, to tell a wrong password, master name or CA from Redis being down.
    /// </summary>
    public static async Task<TokenStoreRefusedException?> FindRefusalAsync(TokenStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (multiplexer, refusal) = await ConnectStrictAsync(options, RedisConfiguration.Build(options), classify: true, cancellationToken);
        if (multiplexer is null)
        {
            return refusal;
        }

        await using (multiplexer)
        {
            return IsCluster(multiplexer) ? RedisRefusals.ClusterMode(options) : null;
        }
    }

    /// <summary>One attempt that gives up on failure: the connection, or why it failed when that was a refusal.</summary>
    private static async Task<(ConnectionMultiplexer? Connection, TokenStoreRefusedException? Refusal)> ConnectStrictAsync(
        TokenStoreOptions options, ConfigurationOptions configuration, bool classify, CancellationToken cancellationToken)
    {
        configuration.AbortOnConnectFail = true;

        // The client's connect log is the only place a TLS alert the server sends after the handshake shows up
        // (TLS 1.3 asks for the client certificate then); the exception it throws says only "UnableToConnect".
        using var connectLog = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            return (await ConnectOnceAsync(configuration, connectLog, cancellationToken), null);
        }
        catch (RedisConnectionException) when (!classify)
        {
            // The caller keeps the store through a refusal (the operator during a password rotation): no need to ask why.
            return (null, null);
        }
        catch (RedisConnectionException exception)
        {
            return (null, await RedisRefusals.ClassifyAsync(options, configuration, exception, connectLog.ToString(), cancellationToken));
        }
    }

    private static bool IsCluster(ConnectionMultiplexer multiplexer) =>
        multiplexer.GetServers().Any(server => server.IsConnected && server.ServerType == ServerType.Cluster);

    private static async Task<ConnectionMultiplexer> ConnectOnceAsync(ConfigurationOptions configuration, TextWriter? log, CancellationToken cancellationToken)
    {
        var connecting = ConnectionMultiplexer.ConnectAsync(configuration, log);
        try
        {
            return await connecting.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client cannot be told to stop connecting; close what it ends up with.
            _ = DisposeWhenConnectedAsync(connecting);
            throw;
        }
    }

    public async Task StoreAsync(TokenHash hash, TokenRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var now = _timeProvider.GetUtcNow();
        if (record.ExpiresAt <= now)
        {
            throw new ArgumentException($"the token's expiry {record.ExpiresAt:O} is not in the future (now {now:O})", nameof(record));
        }

        var fields = TokenKeySchema.ToFields(record);
        var arguments = new RedisValue[1 + (fields.Count * 2)];
        arguments[0] = TokenKeySchema.ToUnixMilliseconds(record.ExpiresAt);
        for (var i = 0; i < fields.Count; i++)
        {
            arguments[1 + (i * 2)] = fields[i].Key;
            arguments[2 + (i * 2)] = fields[i].Value;
        }

        await RunAsync(
            "store a token",
            database => database.ScriptEvaluateAsync(TokenScripts.Store, [Schema.KeyFor(hash), Schema.ConsumedKeyFor(hash), Schema.RevokedKeyFor(hash)], arguments),
            cancellationToken);
    }

    public Task<TokenLookup> GetAsync(TokenHash hash, CancellationToken cancellationToken) =>
        ReadAsync(hash, consume: false, cancellationToken);

    public Task<TokenLookup> RedeemAsync(TokenHash hash, CancellationToken cancellationToken) =>
        ReadAsync(hash, consume: true, cancellationToken);

    public async Task<bool> RevokeAsync(TokenHash hash, CancellationToken cancellationToken)
    {
        var deleted = await RunAsync(
            "revoke a token",
            database => database.ScriptEvaluateAsync(
                TokenScripts.Revoke,
                [Schema.KeyFor(hash), Schema.RevokedKeyFor(hash)],
                [Schema.RevocationChannel, hash.Hex]),
            cancellationToken);
        return (long)deleted == 1;
    }

    /// <remarks>
    /// Succeeds while Redis is down: StackExchange.Redis keeps the subscription in its own table and
    /// sends SUBSCRIBE whenever the pub/sub connection (re)connects, so a pod that starts during an
    /// outage hears revocations once Redis is back without retrying. Revocations published while the
    /// connection is down are lost (pub/sub keeps no history); the key is gone all the same, so no new
    /// session can redeem the token, and <see cref="RevocationsMayHaveBeenMissed"/> tells the proxy
    /// when to re-check the live ones.
    /// </remarks>
    public async Task<IAsyncDisposable> SubscribeRevocationsAsync(Func<TokenHash, ValueTask> onRevoked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onRevoked);
        var subscription = new RedisRevocationSubscription(
            _multiplexer.GetSubscriber(),
            RedisChannel.Literal(Schema.RevocationChannel),
            onRevoked);
        await RunAsync<bool>(
            "subscribe to revocations",
            async _ =>
            {
                await subscription.StartAsync(redisReachable: _multiplexer.IsConnected);
                return true;
            },
            cancellationToken,
            onFailure: subscription.DisposeAsync);
        return subscription;
    }

    /// <summary>True when Redis answers a PING within the operation timeout; false otherwise, never an exception.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync("ping", database => database.PingAsync(), cancellationToken);
            return true;
        }
        catch (TokenStoreUnavailableException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _multiplexer.ConnectionRestored -= OnConnectionRestored;
        try
        {
            await _multiplexer.CloseAsync(allowCommandsToComplete: false);
        }
        catch (RedisException)
        {
            // Already disconnected: nothing to close politely.
        }

        _multiplexer.Dispose();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            RevocationsMayHaveBeenMissed?.Invoke(this, EventArgs.Empty);
        }
    }

    private static async Task DisposeWhenConnectedAsync(Task<ConnectionMultiplexer> connecting)
    {
        try
        {
            (await connecting).Dispose();
        }
        catch (RedisException)
        {
            // It never connected: nothing to close.
        }
    }

    private async Task<TokenLookup> ReadAsync(TokenHash hash, bool consume, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var result = await RunAsync(
            consume ? "redeem a token" : "read a token",
            database => database.ScriptEvaluateAsync(
                TokenScripts.Read,
                [Schema.KeyFor(hash), Schema.ConsumedKeyFor(hash), Schema.RevokedKeyFor(hash)],
                [
                    TokenKeySchema.ToUnixMilliseconds(now),
                    TokenKeySchema.Version.ToString(CultureInfo.InvariantCulture),
                    consume ? "1" : "0",
                ]),
            cancellationToken);
        if (result.IsNull)
        {
            // The script always answers a list; a nil reply must still never read as a record.
            return TokenLookup.Unknown;
        }

        var items = (RedisResult[]?)result ?? [];
        if (items.Length == 1)
        {
            // No hash: the script named why (a hash's HGETALL is never one element long).
            return (string?)items[0] switch
            {
                TokenScripts.MissRevoked => TokenLookup.Revoked,
                TokenScripts.MissConsumed => TokenLookup.Consumed,
                _ => TokenLookup.Unknown,
            };
        }

        var fields = new Dictionary<string, string>(items.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            fields[(string?)items[i] ?? string.Empty] = (string?)items[i + 1] ?? string.Empty;
        }

        // An unreadable record (unknown schema version, damaged field) authorizes nothing; the
        // caller sees the same "unknown token" as for a missing key.
        if (!TokenKeySchema.TryReadFields(fields, out var record, out _))
        {
            return TokenLookup.Unknown;
        }

        // Redis expires keys lazily and its clock may trail ours: our clock has the last word.
        return record.ExpiresAt <= now ? TokenLookup.Expired : TokenLookup.Found(record);
    }

    /// <summary>
    /// Runs one command with the caller's cancellation (the client takes none per command) and the
    /// operation timeout (the client's own AsyncTimeout is the same; this one also bounds a call
    /// queued while disconnected), turning every way Redis can be unreachable into
    /// <see cref="TokenStoreUnavailableException"/>.
    /// </summary>
    private async Task<T> RunAsync<T>(
        string what,
        Func<IDatabase, Task<T>> command,
        CancellationToken cancellationToken,
        Func<ValueTask>? onFailure = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await command(_multiplexer.GetDatabase()).WaitAsync(_operationTimeout, _timeProvider, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            await RunFailureAsync(onFailure);
            throw Unavailable(what, exception);
        }
        catch (OperationCanceledException)
        {
            await RunFailureAsync(onFailure);
            throw;
        }
    }

    private static async Task RunFailureAsync(Func<ValueTask>? onFailure)
    {
        if (onFailure is not null)
        {
            await onFailure();
        }
    }

    private TokenStoreUnavailableException Unavailable(string what, Exception exception) =>
        new($"cannot reach the token store at {_address}: {RedisFailureReason.Describe(exception, _operationTimeout, _multiplexer.IsConnected)} (could not {what})", exception);
}
