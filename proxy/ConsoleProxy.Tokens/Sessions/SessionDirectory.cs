using System.Text.Json;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Sessions;

/// <summary>
/// The fleet's live sessions in the token store: proxies publish theirs (<see cref="PublishAsync"/>), the operator and
/// `consoleproxy sessions list` read them. Layout, under the token store's key prefix {prefix}:
/// <list type="bullet">
/// <item><c>{prefix}session:{instance}/{id}</c>: the session as JSON (<see cref="PublishedSession"/>), with a TTL of
///   <see cref="TimeToLive"/>;</item>
/// <item><c>{prefix}sessions</c>, <c>{prefix}sessions:token:{hex hash}</c> and <c>{prefix}sessions:target:{host:port}</c>:
///   sorted sets of <c>{instance}/{id}</c> scored with the instant (Unix ms) the entry stops counting;</item>
/// <item><c>{prefix}session-takeovers:{instance}</c>: a hash of session id to limit text, the takeovers other proxies
///   asked of that instance, with a TTL of <see cref="TimeToLive"/>. A takeover is also published on
///   <see cref="TakeoverChannel"/> for speed; the hash is what makes it reliable, since a pub/sub message is lost when
///   the owner's subscription is reconnecting, and the owner reads the hash on every refresh.</item>
/// </list>
/// A publisher refreshes all its sessions (a script command per chunk of them) every refresh interval (shorter than the TTL), so a
/// process that dies without cleaning up stops counting within <see cref="TimeToLive"/>: readers ignore index members
/// whose score has passed and whose JSON key is gone, and every publish prunes the expired members it sees.
/// </summary>
public sealed class SessionDirectory(IConnectionMultiplexer connection, TokenKeySchema schema, TimeProvider timeProvider, TimeSpan operationTimeout)
{
    /// <summary>How long a published session counts without a refresh (a killed proxy's sessions vanish within it).</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(15);

    /// <summary>How often a proxy refreshes its sessions: a third of the TTL, so two refreshes may be lost.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public SessionDirectory(RedisTokenStore store, TimeProvider timeProvider, TimeSpan operationTimeout)
        : this(NotNull(store).Connection, store.Schema, timeProvider, operationTimeout)
    {
    }

    private static RedisTokenStore NotNull(RedisTokenStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store;
    }

    /// <summary>Pub/sub channel of takeovers: each message is `{instance}/{id}`, a newline, and the limit's text.</summary>
    public string TakeoverChannel => schema.KeyPrefix + "session-takeovers";

    public string TakeoversKey(string instance) => schema.KeyPrefix + "session-takeovers:" + instance;

    public string AllKey => schema.KeyPrefix + "sessions";

    public string SessionKey(string memberKey) => schema.KeyPrefix + "session:" + memberKey;

    public string TokenIndexKey(TokenHash hash) => schema.KeyPrefix + "sessions:token:" + hash.Hex;

    public string TargetIndexKey(string target) => schema.KeyPrefix + "sessions:target:" + target;

    /// <summary>
    /// Publishes (or refreshes) these sessions, one command per chunk of them and one chunk at a time (a lazy sequence is
    /// read a chunk at a time); each counts for <see cref="TimeToLive"/> from now. Prunes index members that expired.
    /// </summary>
    public async Task PublishAsync(IEnumerable<PublishedSession> sessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        await PublishAsync(sessions, takeoversOf: null, cancellationToken);
    }

    /// <summary>
    /// A proxy's refresh: <see cref="PublishAsync(IEnumerable{PublishedSession}, CancellationToken)"/> of its
    /// sessions, and the takeovers other proxies asked of <paramref name="instance"/> (whether or not
    /// their pub/sub message arrived), which it removes from the store once read.
    /// </summary>
    public async Task<IReadOnlyList<TakeoverRequest>> RefreshAsync(string instance, IEnumerable<PublishedSession> sessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(sessions);
        var requested = await PublishAsync(sessions, instance, cancellationToken);
        if (requested is not { Length: > 0 })
        {
            return [];
        }

        var takeovers = new List<TakeoverRequest>(requested.Length);
        foreach (var entry in requested)
        {
            if (long.TryParse(entry.Name.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                takeovers.Add(new TakeoverRequest(id, entry.Value.ToString()));
            }
        }

        await RunAsync(
            "clear the takeovers read",
            connection.GetDatabase().HashDeleteAsync(TakeoversKey(instance), [.. requested.Select(entry => entry.Name)]),
            cancellationToken);
        return takeovers;
    }

    private async Task<HashEntry[]?> PublishAsync(IEnumerable<PublishedSession> sessions, string? takeoversOf, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)TimeToLive.TotalMilliseconds;
        var database = connection.GetDatabase();
        var batch = database.CreateBatch();
        var pruned = batch.SortedSetRemoveRangeByScoreAsync(AllKey, double.NegativeInfinity, now);
        var takeovers = takeoversOf is null ? null : batch.HashGetAllAsync(TakeoversKey(takeoversOf));
        batch.Execute();

        // Awaited before the chunks, so a store that fails leaves none of these unobserved.
        await RunAsync("publish live sessions", takeovers is null ? pruned : Task.WhenAll(pruned, takeovers), cancellationToken);

        // One chunk in flight at a time, each described and encoded only when its turn comes: pipelined all at once, a
        // proxy's thousands of sessions kept every chunk's JSON and keys alive until the last reply (relay CPU per 1,000
        // idle sessions was 1.3x this). Chunk after chunk also lets new sessions' redemptions in between instead of
        // queueing them behind the whole refresh.
        foreach (var chunk in sessions.Chunk(SessionScripts.RefreshChunk))
        {
            await RunAsync("publish live sessions", Refresh(database, chunk, until, now), cancellationToken);
        }

        return takeovers is null ? null : await takeovers;
    }

    /// <summary>
    /// Publishes one session that just started, in one command (<see cref="SessionScripts.PublishStarted"/>), without
    /// pruning (the next <see cref="PublishAsync(IEnumerable{PublishedSession}, CancellationToken)"/> prunes):
    /// the cheap path every session start takes. The command is queued on the connection before this returns.
    /// </summary>
    public async Task PublishStartedAsync(PublishedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var until = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() + (long)TimeToLive.TotalMilliseconds;
        await RunAsync(
            "publish a new session",
            connection.GetDatabase().ScriptEvaluateAsync(
                SessionScripts.PublishStarted,
                KeysOf(session),
                [JsonSerializer.Serialize(session, Json), (long)TimeToLive.TotalMilliseconds, until, session.Key]),
            cancellationToken);
    }

    /// <summary>Removes an ended session at once (no need to wait for its TTL), in one command.</summary>
    public async Task RemoveAsync(PublishedSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await RunAsync(
            "remove an ended session",
            connection.GetDatabase().ScriptEvaluateAsync(SessionScripts.Remove, KeysOf(session), [session.Key]),
            cancellationToken);
    }

    /// <summary>Every live session of the fleet, oldest first.</summary>
    public Task<IReadOnlyList<PublishedSession>> ListAllAsync(CancellationToken cancellationToken) =>
        ListAsync(AllKey, cancellationToken);

    /// <summary>The live sessions of one token, oldest first.</summary>
    public Task<IReadOnlyList<PublishedSession>> ListByTokenAsync(TokenHash hash, CancellationToken cancellationToken) =>
        ListAsync(TokenIndexKey(hash), cancellationToken);

    /// <summary>The live sessions on one console endpoint (`host:port`), oldest first.</summary>
    public Task<IReadOnlyList<PublishedSession>> ListByTargetAsync(string target, CancellationToken cancellationToken) =>
        ListAsync(TargetIndexKey(target), cancellationToken);

    /// <summary>
    /// Asks the proxy that relays <paramref name="session"/> to close it with 4006 (--on-session-limit takeover across
    /// processes): at once by pub/sub, and by the takeovers hash that proxy reads on its next refresh in case the message
    /// is lost. Returns how many proxies heard the message.
    /// </summary>
    public async Task<long> RequestTakeoverAsync(PublishedSession session, string limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(limit);
        var key = TakeoversKey(session.ProxyInstance);
        var batch = connection.GetDatabase().CreateBatch();
        var recorded = batch.HashSetAsync(key, session.SessionId, limit);
        var expiring = batch.KeyExpireAsync(key, TimeToLive);
        var heard = batch.PublishAsync(RedisChannel.Literal(TakeoverChannel), session.Key + "\n" + limit);
        batch.Execute();
        await RunAsync("request a takeover", Task.WhenAll(recorded, expiring, heard), cancellationToken);
        return await heard;
    }

    /// <summary>
    /// Calls <paramref name="onTakeover"/> with (session id, limit text) for every takeover addressed to
    /// <paramref name="instance"/> until the returned handle is disposed.
    /// </summary>
    public async Task<IAsyncDisposable> SubscribeTakeoversAsync(string instance, Func<long, string, ValueTask> onTakeover, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(onTakeover);
        var subscriber = connection.GetSubscriber();
        var channel = RedisChannel.Literal(TakeoverChannel);
        var prefix = instance + "/";
        var queue = await RunAsync("subscribe to takeovers", subscriber.SubscribeAsync(channel), cancellationToken);
        queue.OnMessage(async message =>
        {
            var text = message.Message.ToString();
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            var key = newline < 0 ? text : text[..newline];
            if (key.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(key.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                await onTakeover(id, newline < 0 ? string.Empty : text[(newline + 1)..]);
            }
        });
        return new TakeoverSubscription(queue);
    }

    private RedisKey[] KeysOf(PublishedSession session) =>
        [SessionKey(session.Key), AllKey, TokenIndexKey(session), TargetIndexKey(session.Target)];

    private string TokenIndexKey(PublishedSession session) =>
        TokenIndexKey(TokenHash.FromHex(session.TokenHash) ?? throw new ArgumentException($"session {session.Key} has no valid token hash", nameof(session)));

    /// <summary>One <see cref="SessionScripts.Refresh"/> command for these sessions.</summary>
    private Task<RedisResult> Refresh(IDatabaseAsync database, PublishedSession[] chunk, long until, long now)
    {
        var keys = new RedisKey[1 + (chunk.Length * 3)];
        var values = new RedisValue[3 + (chunk.Length * 2)];
        keys[0] = AllKey;
        values[0] = (long)TimeToLive.TotalMilliseconds;
        values[1] = until;
        values[2] = now;
        for (var i = 0; i < chunk.Length; i++)
        {
            var session = chunk[i];
            keys[1 + (i * 3)] = SessionKey(session.Key);
            keys[2 + (i * 3)] = TokenIndexKey(session);
            keys[3 + (i * 3)] = TargetIndexKey(session.Target);
            values[3 + (i * 2)] = JsonSerializer.SerializeToUtf8Bytes(session, Json);
            values[4 + (i * 2)] = session.Key;
        }

        return database.ScriptEvaluateAsync(SessionScripts.Refresh, keys, values);
    }

    private async Task<IReadOnlyList<PublishedSession>> ListAsync(string index, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var database = connection.GetDatabase();
        var members = await RunAsync(
            "list live sessions",
            database.SortedSetRangeByScoreAsync(index, now, double.PositiveInfinity, Exclude.Start),
            cancellationToken);
        if (members.Length == 0)
        {
            return [];
        }

        var values = await RunAsync(
            "read live sessions",
            database.StringGetAsync([.. members.Select(member => (RedisKey)SessionKey(member.ToString()))]),
            cancellationToken);
        var sessions = new List<PublishedSession>(values.Length);
        foreach (var value in values)
        {
            // Gone (ended, or expired between the two reads) or unreadable: it does not count.
            if (value.IsNullOrEmpty)
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<PublishedSession>(value.ToString(), Json) is { } session)
                {
                    sessions.Add(session);
                }
            }
            catch (JsonException)
            {
                // A damaged entry is no session.
            }
        }

        sessions.Sort((a, b) => a.StartedAt != b.StartedAt ? a.StartedAt.CompareTo(b.StartedAt) : string.CompareOrdinal(a.Key, b.Key));
        return sessions;
    }

    private async Task<T> RunAsync<T>(string what, Task<T> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.WaitAsync(operationTimeout, timeProvider, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The endpoints, never the configuration string: that can carry the password.
            var where = string.Join(", ", connection.GetEndPoints().Select(endPoint => endPoint switch
            {
                System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
                _ => endPoint.ToString(),
            }));
            throw new TokenStoreUnavailableException($"cannot reach the token store at {where}: {exception.Message} (could not {what})", exception);
        }
    }

    private async Task RunAsync(string what, Task command, CancellationToken cancellationToken) =>
        await RunAsync(what, command.ContinueWith(static t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), cancellationToken);
}
