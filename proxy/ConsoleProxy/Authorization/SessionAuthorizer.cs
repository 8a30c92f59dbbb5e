using System.Net;
using System.Net.Sockets;
using ConsoleProxy.Spice;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Authorization;

/// <summary>
/// Turns a raw token into a dialable endpoint: hash it, redeem it (single-use tokens are consumed
/// here, atomically), check its expiry against our clock (Redis expiry is coarse and clocks
/// drift), resolve the target and check the allowed-target policy on the address we will actually
/// dial, so a DNS name cannot smuggle the proxy into a network the policy excludes. The policy is the token's kind's
/// (<see cref="ServedKinds"/>): a serial token must pass the serial allow-list, a VNC token the VNC one, and a token of a
/// kind this proxy does not serve is refused. A single-use SPICE token admits the other channels of the client that
/// consumed it for a short while (<see cref="SpiceChannelWindow"/>).
/// </summary>
public sealed class SessionAuthorizer(ITokenStore store, ServedKinds kinds, SpiceChannelWindow spiceChannels, TimeProvider timeProvider, TimeSpan resolveTimeout)
{
    /// <summary>For a console session from <paramref name="client"/> (null when unknown): a single-use token is consumed here.</summary>
    public async Task<SessionAuthorization> AuthorizeAsync(string token, IPAddress? client, CancellationToken cancellationToken)
    {
        var authorization = await AuthorizeAsync(token, (hash, ct) => RedeemAsync(hash, client, ct), cancellationToken);
        return authorization is SessionAuthorization.Admitted { Record.IsScreenshotOnly: true } admitted
            ? SessionAuthorization.Forbidden(AuthorizationFailure.ScreenshotOnly, $"this token is for screenshots only (GET {Screenshots.ScreenshotEndpoint.Path}?token=...); it opens no console session", admitted.TokenHash)
            : authorization;
    }

    private async Task<TokenLookup> RedeemAsync(TokenHash hash, IPAddress? client, CancellationToken cancellationToken)
    {
        var lookup = await store.RedeemAsync(hash, cancellationToken);
        if (client is null)
        {
            return lookup;
        }

        if (lookup.Record is { IsSingleUse: true, Kind: ConsoleKind.Spice } record)
        {
            spiceChannels.Open(hash, client, record);
            return lookup;
        }

        return lookup.MissReason == TokenMissReason.Consumed && spiceChannels.TryAdmit(hash, client, out var channelRecord)
            ? TokenLookup.Found(channelRecord)
            : lookup;
    }

    /// <summary>
    /// For a look at the screen without a session: the token is read, never consumed, so a single-use token (which
    /// promises exactly one session) is refused rather than spent or left reusable for pictures.
    /// </summary>
    public async Task<SessionAuthorization> AuthorizeScreenshotAsync(string token, CancellationToken cancellationToken)
    {
        var authorization = await AuthorizeAsync(token, store.GetAsync, cancellationToken);
        return authorization switch
        {
            SessionAuthorization.Admitted { Record.IsSingleUse: true } admitted => SessionAuthorization.Forbidden(AuthorizationFailure.SingleUse, "a single-use token opens one console session and no screenshots", admitted.TokenHash),
            SessionAuthorization.Admitted { Record.Kind: not ConsoleKind.Vnc } admitted => SessionAuthorization.Forbidden(AuthorizationFailure.KindNotServed, $"screenshots are taken of VNC consoles; a {ConsoleKindNames.NameOf(admitted.Record.Kind)} console has no screen", admitted.TokenHash),
            _ => authorization,
        };
    }

    private async Task<SessionAuthorization> AuthorizeAsync(string token, Func<TokenHash, CancellationToken, Task<TokenLookup>> find, CancellationToken cancellationToken)
    {
        var hash = TokenHash.Of(token);
        TokenLookup lookup;
        try
        {
            lookup = await find(hash, cancellationToken);
        }
        catch (TokenStoreUnavailableException)
        {
            return SessionAuthorization.Unavailable(AuthorizationFailure.StoreUnavailable, "token store unavailable");
        }

        if (!lookup.IsFound)
        {
            return lookup.MissReason switch
            {
                TokenMissReason.Expired => SessionAuthorization.Forbidden(AuthorizationFailure.Expired, "token expired", hash),
                TokenMissReason.Consumed => SessionAuthorization.Forbidden(AuthorizationFailure.Consumed, "token already used", hash),
                TokenMissReason.Revoked => SessionAuthorization.Forbidden(AuthorizationFailure.Revoked, "token revoked", hash),
                _ => SessionAuthorization.Forbidden(AuthorizationFailure.UnknownToken, "unknown or expired token", hash),
            };
        }

        // The Redis store already answers Expired by our clock; a store that does not must not open a session either.
        var record = lookup.Record;
        if (record.ExpiresAt <= timeProvider.GetUtcNow())
        {
            return SessionAuthorization.Forbidden(AuthorizationFailure.Expired, "token expired", hash);
        }

        if (!kinds.TryGetPolicy(record.Kind, out var policy))
        {
            return SessionAuthorization.Forbidden(AuthorizationFailure.KindNotServed, ServedKinds.NotServedReason(record.Kind), hash);
        }

        if (record is { Kind: ConsoleKind.Spice, IsViewOnly: true })
        {
            // Dropping a SPICE client's input would mean parsing every channel; refusing is honest, forwarding would not be view-only.
            return SessionAuthorization.Forbidden(AuthorizationFailure.KindNotServed, "view-only SPICE consoles are not supported; use a VNC token for a view-only console", hash);
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(record.Target.Host, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new SessionAuthorization.Unreachable(hash, record, $"cannot resolve {record.Target.Host}");
        }

        foreach (var address in addresses)
        {
            if (policy.Allows(address, record.Target.Port))
            {
                return new SessionAuthorization.Granted(hash, record, new IPEndPoint(address, record.Target.Port));
            }
        }

        return addresses.Length == 0
            ? new SessionAuthorization.Unreachable(hash, record, $"cannot resolve {record.Target.Host}")
            : SessionAuthorization.Forbidden(AuthorizationFailure.TargetNotAllowed, "target not allowed", hash);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        using var deadline = new CancellationTokenSource(resolveTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        return await Dns.GetHostAddressesAsync(host, linked.Token);
    }
}
