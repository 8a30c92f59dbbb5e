using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Spice;

/// <summary>
/// Lets one SPICE client open all its channels with a single-use token. A SPICE client opens one WebSocket per
/// channel (main first, then display, inputs, cursor, ...) with the same URL, so the token the first connection
/// consumes has to admit the others: for <see cref="Window"/> after that redemption, further connections with the same
/// token from the same client address are admitted with the consumed record; after it, or from another address, the
/// token is spent as any single-use token. Revocation ends the window at once (<see cref="Forget"/>). The window lives
/// in this proxy's memory: a client's channels must reach the same replica (they do when one proxy serves the URL, or
/// behind client-IP session affinity).
/// </summary>
public sealed class SpiceChannelWindow(TimeProvider timeProvider)
{
    /// <summary>How long after the first channel the client's other channels may connect.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<TokenHash, Opening> _openings = new();

    /// <summary>A single-use SPICE token was just redeemed by <paramref name="client"/>: opens its window.</summary>
    public void Open(TokenHash hash, IPAddress client, TokenRecord record)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(record);
        var now = timeProvider.GetUtcNow();
        foreach (var (key, opening) in _openings)
        {
            if (opening.ClosesAt <= now)
            {
                _openings.TryRemove(key, out _);
            }
        }

        _openings[hash] = new Opening(Normalize(client), record, now + Window);
    }

    /// <summary>The consumed token's record, when <paramref name="client"/> is the one that consumed it and the window is open.</summary>
    public bool TryAdmit(TokenHash hash, IPAddress client, [NotNullWhen(true)] out TokenRecord? record)
    {
        ArgumentNullException.ThrowIfNull(client);
        record = null;
        if (!_openings.TryGetValue(hash, out var opening))
        {
            return false;
        }

        if (opening.ClosesAt <= timeProvider.GetUtcNow())
        {
            _openings.TryRemove(new KeyValuePair<TokenHash, Opening>(hash, opening));
            return false;
        }

        if (!opening.Client.Equals(Normalize(client)))
        {
            return false;
        }

        record = opening.Record;
        return true;
    }

    /// <summary>The token was revoked: no further channel may join its sessions.</summary>
    public void Forget(TokenHash hash) => _openings.TryRemove(hash, out _);

    /// <summary>Open windows (for tests and metrics).</summary>
    public int Count => _openings.Count;

    // Kestrel may report an IPv4 client as ::ffff:a.b.c.d on a dual-stack socket.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private sealed record Opening(IPAddress Client, TokenRecord Record, DateTimeOffset ClosesAt);
}
