using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using ConsoleProxy.Authorization;
using ConsoleProxy.Hosting;
using ConsoleProxy.Origins;
using ConsoleProxy.Relay;
using ConsoleProxy.Rfb;
using ConsoleProxy.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.WebSockets;

/// <summary>
/// The console endpoint: any path, as long as the request is a WebSocket upgrade (noVNC's
/// default `websockify`, nova's `/?token=`, a tolerated `//websockify`). Everything that can be
/// refused is refused before the upgrade with an HTTP status and a short text reason; after the
/// upgrade only a close code speaks. Other requests go on to the web client.
/// </summary>
public sealed partial class ConsoleWebSocketMiddleware(
    RequestDelegate next,
    ProxyOptions options,
    OriginPolicy originPolicy,
    SessionRegistry registry,
    SessionAuthorizer authorizer,
    TargetDialer dialer,
    ConsoleRelay relay,
    TimeProvider timeProvider,
    ILogger<ConsoleWebSocketMiddleware> logger)
{
    private const string BinarySubprotocol = "binary";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (options.SslOnly && OriginPolicy.RequestScheme(request) != "https")
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "TLS required", client, null);
            return;
        }

        if (originPolicy.Check(request) is { } originRefusal)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, originRefusal, client, null);
            return;
        }

        var token = RequestToken.Read(request);
        if (token is null)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "token missing", client, null);
            return;
        }

        // Take a slot before redeeming, so a full or draining proxy never consumes a single-use token.
        if (registry.TryReserve() is { } capacityRefusal)
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, capacityRefusal, client, null);
            return;
        }

        try
        {
            await AuthorizeAndRelayAsync(context, token, client);
        }
        finally
        {
            registry.Release();
        }
    }

    private async Task AuthorizeAndRelayAsync(HttpContext context, string token, string client)
    {
        var authorization = await authorizer.AuthorizeAsync(token, context.RequestAborted);
        if (authorization.IsRefused)
        {
            await RefuseAsync(context, authorization.StatusCode, authorization.Reason!, client, authorization.TokenHash?.ShortForm);
            return;
        }

        var hash = authorization.TokenHash!.Value;
        var record = authorization.Record!;
        TargetDialResult dial = authorization.EndPoint is { } endPoint
            ? await dialer.DialAsync(endPoint, context.RequestAborted)
            : TargetDialResult.Failed(authorization.Reason!);
        using var target = dial.Socket;

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = offered.Contains(BinarySubprotocol, StringComparer.OrdinalIgnoreCase) ? BinarySubprotocol : null,
            KeepAliveInterval = options.PingInterval,
            KeepAliveTimeout = options.PingInterval == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : options.PingInterval,
        });

        if (!dial.IsConnected)
        {
            var unreachable = SessionCloseReason.TargetUnreachable(dial.Error);
            LogUnreachable(hash.ShortForm, record.Target.ToString(), client, dial.Error);
            await CloseUnreachableAsync(webSocket, unreachable, context.RequestAborted);
            return;
        }

        var session = new ConsoleSession(registry.NextId(), hash, record, authorization.EndPoint!, client, timeProvider);
        registry.Add(session);
        try
        {
            using var deadlines = SessionDeadlines.Start(session, options, timeProvider);
            LogStarted(session.Id, hash.ShortForm, record.Owner, record.Target.ToString(), session.TargetEndPoint.ToString(), client, record.IsViewOnly);
            var viewOnly = record.IsViewOnly ? new ViewOnlyFilter() : null;
            var reason = await relay.RunAsync(webSocket, dial.Socket, session, viewOnly, context.RequestAborted);
            if (viewOnly is { LostTrack: true })
            {
                LogViewOnlyLostTrack(session.Id, hash.ShortForm);
            }

            var duration = timeProvider.GetUtcNow() - session.StartedAt;
            LogEnded(session.Id, hash.ShortForm, record.Owner, record.Target.ToString(), client, reason.Code, reason.Description, session.BytesToClient, session.BytesToTarget, duration.TotalSeconds);
        }
        finally
        {
            registry.Remove(session);
        }
    }

    private async Task CloseUnreachableAsync(WebSocket webSocket, SessionCloseReason reason, CancellationToken cancellationToken)
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
                while (webSocket.State == WebSocketState.CloseSent)
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

    private async Task RefuseAsync(HttpContext context, int status, string reason, string client, string? tokenShortForm)
    {
        LogRefused(status, reason, client, tokenShortForm ?? "-");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Session refused with {Status}: {Reason} (client {Client}, token {Token})")]
    private partial void LogRefused(int status, string reason, string client, string token);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Session {SessionId} started: token {Token}, owner '{Owner}', target {Target} ({Address}), client {Client}, view-only {ViewOnly}")]
    private partial void LogStarted(long sessionId, string token, string owner, string target, string address, string client, bool viewOnly);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Session {SessionId} ended with {CloseCode} ({CloseReason}): token {Token}, owner '{Owner}', target {Target}, client {Client}, {BytesToClient} bytes to client, {BytesToTarget} bytes to target, {DurationSeconds:0.###} s")]
    private partial void LogEnded(long sessionId, string token, string owner, string target, string client, int closeCode, string closeReason, long bytesToClient, long bytesToTarget, double durationSeconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Session {SessionId} (token {Token}) is view-only and its client spoke RFB the filter cannot follow (RFB 3.3, an unsupported security type or an unknown message): all its input after that point was dropped")]
    private partial void LogViewOnlyLostTrack(long sessionId, string token);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Target unreachable: token {Token}, target {Target}, client {Client}: {Error}")]
    private partial void LogUnreachable(string token, string target, string client, string error);
}
