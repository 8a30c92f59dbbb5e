using System.Collections.Concurrent;
using ConsoleProxy.Authorization;
using ConsoleProxy.Metrics;
using ConsoleProxy.Tokens.Minting;

namespace ConsoleProxy.Sessions;

/// <summary>
/// The process's live sessions: capacity (--max-sessions, checked before the upgrade by reserving
/// a slot), draining, and the lookups revocation and shutdown need. Revocations are rare, so they
/// scan the sessions instead of keeping a second index by token hash.
/// A revocation can arrive while a session is between "token redeemed" and "registered"; recent
/// revocations are remembered for a while so such a session is closed the moment it registers.
/// </summary>
public sealed class SessionRegistry(int maxSessions, TimeProvider timeProvider) : ISessionCounts
{
    // Longer than any authorization plus dial can take.
    private static readonly TimeSpan RevocationMemory = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<long, ConsoleSession> _sessions = new();
    private readonly ConcurrentDictionary<TokenHash, DateTimeOffset> _recentRevocations = new();
    private int _reserved;
    private int _live;
    // Ids start from this process's start instant (Unix ms x 1,000), not 1: a restarted instance must not reuse the ids
    // its previous life published (they stay in the session directory for up to its TTL), and would only do so after
    // opening more than 1,000 sessions per millisecond of its previous life.
    private long _lastId = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private volatile bool _draining;
    private volatile bool _drainClosing;

    /// <summary>Live sessions (relaying bytes). A counter, because ConcurrentDictionary.Count takes every lock.</summary>
    public int Count => Volatile.Read(ref _live);

    /// <summary>Slots taken: live sessions plus those being authorized or dialed.</summary>
    public int Reserved => Volatile.Read(ref _reserved);

    public bool IsDraining => _draining;

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Takes a slot for a new session; null when granted, else why not (a 503).</summary>
    public AuthorizationFailure? TryReserve()
    {
        if (_draining)
        {
            return AuthorizationFailure.Draining;
        }

        while (true)
        {
            var current = Volatile.Read(ref _reserved);
            if (maxSessions > 0 && current >= maxSessions)
            {
                return AuthorizationFailure.Capacity;
            }

            if (Interlocked.CompareExchange(ref _reserved, current + 1, current) == current)
            {
                return null;
            }
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryReserve"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _reserved);

    public void Add(ConsoleSession session)
    {
        if (_sessions.TryAdd(session.Id, session))
        {
            Interlocked.Increment(ref _live);
        }

        // Registered first, checked second: Revoke records first and scans second, so one of the two sees the other.
        if (_recentRevocations.ContainsKey(session.TokenHash))
        {
            session.Terminate(SessionCloseReason.Revoked);
        }

        // A drain that began while this session was being set up must still reach it.
        if (_drainClosing)
        {
            session.Terminate(SessionCloseReason.Draining);
        }
    }

    public void Remove(ConsoleSession session)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            Interlocked.Decrement(ref _live);
        }
    }

    /// <summary>Ends every live session of a revoked token with 4001; returns how many.</summary>
    public int Revoke(TokenHash hash)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (revoked, at) in _recentRevocations)
        {
            if (now - at > RevocationMemory)
            {
                _recentRevocations.TryRemove(revoked, out _);
            }
        }

        _recentRevocations[hash] = now;
        var count = 0;
        foreach (var session in _sessions.Values)
        {
            if (session.TokenHash == hash && session.Terminate(SessionCloseReason.Revoked))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>New sessions are refused from now on; live ones continue.</summary>
    public void BeginDrain() => _draining = true;

    /// <summary>Ends every live session with the drain reason (1001).</summary>
    public void CloseAllForDrain()
    {
        _drainClosing = true;
        foreach (var session in _sessions.Values)
        {
            session.Terminate(SessionCloseReason.Draining);
        }
    }

    /// <summary>The live session with this id, if it is still here.</summary>
    public ConsoleSession? Find(long id) => _sessions.GetValueOrDefault(id);

    public IReadOnlyCollection<ConsoleSession> Snapshot() => [.. _sessions.Values];
}
