using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using ConsoleProxy.Audit;
using ConsoleProxy.Authorization;
using ConsoleProxy.Configuration;
using ConsoleProxy.Http;
using ConsoleProxy.Metrics;
using ConsoleProxy.Origins;
using ConsoleProxy.Relay;
using ConsoleProxy.Rfb;
using ConsoleProxy.Serial;
using ConsoleProxy.Sessions;
using ConsoleProxy.TargetSecurity;
using ConsoleProxy.Tokens.Kinds;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.WebSockets;
using ConsoleProxy.WebSockets.Handshake;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Consoles;

/// <summary>
/// The console endpoint: any path, as long as the request is a WebSocket upgrade (noVNC's
/// default `websockify`, nova's `/?token=`, a tolerated `//websockify`). Everything that can be
/// refused is refused before the upgrade with an HTTP status and a short text reason; after the
/// upgrade only a close code speaks. Other requests go on to the web client. A serial token's session is the same
/// session without RFB: raw bytes both ways, no security proxy, and view-only drops all input. A SPICE token's
/// sessions are raw too, one per SPICE channel (the authorizer refuses view-only SPICE tokens).
/// </summary>
public sealed partial class ConsoleWebSocketMiddleware(
    RequestDelegate next,
    ProxyOptions options,
    OriginPolicy originPolicy,
    SessionRegistry registry,
    SessionAuthorizer authorizer,
    SessionAdmission admission,
    SessionPublisher publisher,
    TargetDialer dialer,
    RfbSecurityNegotiator security,
    ConsoleRelay relay,
    ProxyMetrics metrics,
    SessionAuditLog audit,
    TimeProvider timeProvider,
    ILogger<ConsoleWebSocketMiddleware> logger)
{
    private const string BinarySubprotocol = "binary";

    /// <summary>Not an async method itself: a console session keeps one state machine less alive for its whole life.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (UpgradeRequestCheck.Check(context.Request) is { } malformed)
        {
            return RefuseMalformedAsync(context, malformed);
        }

        return context.WebSockets.IsWebSocketRequest ? ServeConsoleAsync(context) : next(context);
    }

    private async Task ServeConsoleAsync(HttpContext context)
    {
        var arrived = timeProvider.GetTimestamp();
        var request = context.Request;

        var clientAddress = ClientAddress(context);
        var client = clientAddress?.ToString() ?? "unknown";
        if (options.SslOnly && OriginPolicy.RequestScheme(request) != "https")
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, AuthorizationFailure.TlsRequired, "TLS required", client, null);
            return;
        }

        if (originPolicy.Check(request) is { } originRefusal)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, AuthorizationFailure.Origin, originRefusal, client, null);
            return;
        }

        var token = RequestToken.Read(request, out var tokenProblem);
        if (token is null)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, AuthorizationFailure.TokenMissing, tokenProblem, client, null);
            return;
        }

        // Take a slot before redeeming, so a full or draining proxy never consumes a single-use token.
        if (registry.TryReserve() is { } capacityRefusal)
        {
            var text = capacityRefusal == AuthorizationFailure.Draining ? "proxy is draining" : "proxy is at capacity";
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, capacityRefusal, text, client, null);
            return;
        }

        try
        {
            var authorization = await authorizer.AuthorizeAsync(token, clientAddress, context.RequestAborted);
            switch (authorization)
            {
                case SessionAuthorization.Refused refused:
                    await RefuseAsync(context, refused.StatusCode, refused.Failure, refused.Reason, client, refused.TokenHash?.ShortForm);
                    break;
                case SessionAuthorization.Admitted admitted:
                    await AdmitAndRelayAsync(context, admitted, client, arrived);
                    break;
                default:
                    throw new UnreachableException($"an authorization is refused or admitted, not {authorization.GetType().Name}");
            }
        }
        finally
        {
            registry.Release();
        }
    }

    private async Task AdmitAndRelayAsync(HttpContext context, SessionAuthorization.Admitted admitted, string client, long arrived)
    {
        var hash = admitted.TokenHash;
        var record = admitted.Record;
        string? limitRefusal;
        try
        {
            limitRefusal = await admission.AdmitAsync(hash, record, context.RequestAborted);
        }
        catch (TokenStoreUnavailableException e)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, AuthorizationFailure.StoreUnavailable, $"cannot count the console's sessions: {e.Message}", client, hash.ShortForm);
            return;
        }

        if (limitRefusal is not null)
        {
            await RefuseAsync(context, StatusCodes.Status409Conflict, AuthorizationFailure.SessionLimit, limitRefusal, client, hash.ShortForm);
            return;
        }

        var isVnc = record.Kind == ConsoleKind.Vnc;
        var dial = admitted switch
        {
            SessionAuthorization.Granted toDial => await DialAsync(toDial.EndPoint, context.RequestAborted),
            SessionAuthorization.Unreachable unreachable => TargetDialResult.Failed(unreachable.Reason),
            _ => throw new UnreachableException($"an admitted authorization is granted or unreachable, not {admitted.GetType().Name}"),
        };

        // The proxy's own part of the conversation with the VNC server (TLS, the RFB security handshake) comes
        // before the upgrade too, so a server the proxy cannot authenticate to is one more reason for a 4005.
        Stream? secured = null;
        string? securityRefusal = null;
        if (dial.IsConnected && isVnc && security.Options.IsActive)
        {
            try
            {
                secured = await security.NegotiateAsync(dial.Socket, record, hash, context.RequestAborted);
            }
            catch (TargetSecurityException e)
            {
                securityRefusal = e.Message;
                LogTargetSecurityFailed(hash.ShortForm, e.Detail);
            }
        }

        using var target = !dial.IsConnected ? null
            : secured is null ? TargetConnection.Plain(dial.Socket) : TargetConnection.Secured(dial.Socket, secured);

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var subProtocol = offered.Contains(BinarySubprotocol, StringComparer.OrdinalIgnoreCase) ? BinarySubprotocol : null;
        using var webSocket = await WebSocketHandshake.AcceptAsync(context, subProtocol, options.PingInterval, timeProvider);
        metrics.HandshakeDuration.Observe(timeProvider.GetElapsedTime(arrived).TotalSeconds);

        // Connected only when granted; the pattern lets the compiler see that too.
        if (target is null || securityRefusal is not null || admitted is not SessionAuthorization.Granted granted)
        {
            var why = dial.Error ?? securityRefusal!;
            var unreachable = target is null ? SessionCloseReason.TargetUnreachable(why) : SessionCloseReason.TargetSecurity(why);
            audit.Unreachable(hash.ShortForm, record.Owner, record.Instance, record.Target.ToString(), client, why);
            metrics.Sessions.Increment(SessionOutcome.TargetUnreachable);
            await CloseUnreachableAsync(webSocket, unreachable, context.RequestAborted);
            return;
        }

        var session = new ConsoleSession(registry.NextId(), hash, record, granted.EndPoint, client, timeProvider);
        registry.Add(session);
        publisher.SessionStarted(session);
        var reason = SessionCloseReason.InternalError;
        try
        {
            using var deadlines = SessionDeadlines.Start(session, options, timeProvider);
            audit.Started(session);
            var answersSecurity = isVnc && security.Options.AuthSchemes.Count > 0;
            if (answersSecurity)
            {
                await BrowserRfbGreeting.RunAsync(webSocket, context.RequestAborted);
            }

            var rfbViewOnly = !record.IsViewOnly || !isVnc ? null : answersSecurity ? ViewOnlyFilter.AfterSecurityHandshake() : new ViewOnlyFilter();
            IInputFilter? viewOnly = record is { IsViewOnly: true, Kind: ConsoleKind.Serial } ? new SerialViewOnlyFilter() : rfbViewOnly;

            // Every VNC session's ClientInit goes out shared, so no viewer can make QEMU drop the others.
            IInputFilter? input = !isVnc ? viewOnly : answersSecurity ? SharedFlagFilter.AfterSecurityHandshake(viewOnly) : new SharedFlagFilter(viewOnly);
            reason = await relay.RunAsync(webSocket, target, session, input, context.RequestAborted);
            if (rfbViewOnly is { LostTrack: true })
            {
                LogViewOnlyLostTrack(session.Id, hash.ShortForm);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            reason = SessionCloseReason.ClientLost;
        }
        catch (InvalidDataException e)
        {
            // The browser's side of the RFB handshake the proxy answers was not RFB.
            reason = SessionCloseReason.ProtocolViolation(WebSocketCloseStatus.ProtocolError, e.Message);
            await TryCloseAsync(webSocket, reason);
        }
        catch (Exception e) when (e is IOException or WebSocketException)
        {
            reason = SessionCloseReason.ClientLost;
        }
        catch (Exception e)
        {
            // A bug must cost one session, not the process, and must not leak the slot: log it
            // (the exception never carries the request URL), tell the browser if it can still hear
            // it, and let disposal abort both sockets.
            LogRelayFailed(e, session.Id, hash.ShortForm);
            await TryCloseAsync(webSocket, reason);
        }
        finally
        {
            // Counted and audited before the session leaves the registry, so whatever sees it gone (a drain that lets
            // the process exit, a scrape after the live count fell) sees how it ended; the publisher's removal may wait.
            metrics.Sessions.Increment(reason.Outcome);
            audit.Ended(session, reason, timeProvider.GetUtcNow() - session.StartedAt);
            registry.Remove(session);
            await publisher.SessionEndedAsync(session);
        }
    }

    private async Task<TargetDialResult> DialAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var dialStarted = timeProvider.GetTimestamp();
        var dial = await dialer.DialAsync(endPoint, cancellationToken);
        metrics.DialDuration.Observe(timeProvider.GetElapsedTime(dialStarted).TotalSeconds);
        return dial;
    }

    private async Task TryCloseAsync(WebSocketConnection webSocket, SessionCloseReason reason)
    {
        if (!webSocket.CanSendClose)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), timeProvider);
        try
        {
            await webSocket.CloseOutputAsync(reason.Status, reason.Description, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is as broken as the session: disposal aborts it.
        }
    }

    private async Task CloseUnreachableAsync(WebSocketConnection webSocket, SessionCloseReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await webSocket.CloseOutputAsync(reason.Status, reason.Description, cancellationToken);

            // Let the browser answer, so it reports a clean close with our code and text.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5), timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
            var discard = ArrayPool<byte>.Shared.Rent(1024);
            try
            {
                while (!webSocket.CloseReceived && !webSocket.IsBroken)
                {
                    await webSocket.ReceiveAsync(discard.AsMemory(), linked.Token);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(discard);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or SocketException)
        {
            // The browser went away first; it already has our close frame or never will.
        }
    }

    private async Task RefuseAsync(HttpContext context, int status, AuthorizationFailure failure, string reason, string client, string? tokenShortForm)
    {
        metrics.AuthorizationFailures.Increment(failure);
        LogRefused(status, reason, client, tokenShortForm ?? "-");
        await PlainTextAnswer.WriteAsync(context, status, reason);
    }

    // The connection feature itself: HttpContext.Connection would allocate a wrapper each session keeps.
    private static IPAddress? ClientAddress(HttpContext context) => context.Features.Get<IHttpConnectionFeature>()?.RemoteIpAddress;

    private async Task RefuseMalformedAsync(HttpContext context, UpgradeRefusal refusal)
    {
        LogMalformedUpgrade(refusal.StatusCode, refusal.Reason, ClientAddress(context)?.ToString() ?? "unknown");
        if (refusal.SupportedVersion is { } version)
        {
            context.Response.Headers.SecWebSocketVersion = version;
        }

        await PlainTextAnswer.WriteAsync(context, refusal.StatusCode, refusal.Reason);
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Malformed WebSocket upgrade refused with {Status}: {Reason} (client {Client})")]
    private partial void LogMalformedUpgrade(int status, string reason, string client);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Session refused with {Status}: {Reason} (client {Client}, token {Token})")]
    private partial void LogRefused(int status, string reason, string client, string token);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Session {SessionId} (token {Token}) is view-only and its client spoke RFB the filter cannot follow (RFB 3.3, an unsupported security type or an unknown message): all its input after that point was dropped")]
    private partial void LogViewOnlyLostTrack(long sessionId, string token);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Console security with the VNC server failed (token {Token}): {Detail}")]
    private partial void LogTargetSecurityFailed(string token, string detail);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Session {SessionId} (token {Token}) failed inside the proxy")]
    private partial void LogRelayFailed(Exception exception, long sessionId, string token);
}
