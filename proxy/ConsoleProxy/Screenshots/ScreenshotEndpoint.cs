using System.Diagnostics;
using System.Net.Sockets;
using ConsoleProxy.Authorization;
using ConsoleProxy.Http;
using ConsoleProxy.Origins;
using ConsoleProxy.Relay;
using ConsoleProxy.TargetSecurity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Screenshots;

/// <summary>
/// `GET /screenshot?token=...`: a PNG of the console's current screen without opening a session, for thumbnails in a
/// portal. The token (query or cookie) is checked as for a session (expiry, target policy on the dialled address,
/// origin) but never consumed; the proxy opens its own shared RFB connection, so viewers on the console stay
/// connected. Limits: <see cref="MaxPixels"/> and <see cref="Timeout"/> for the whole capture.
/// </summary>
public static partial class ScreenshotEndpoint
{
    public const string Path = "/screenshot";

    /// <summary>4096 x 4096: a 48 MiB picture in memory at most.</summary>
    public const int MaxPixels = 4096 * 4096;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static void Map(IApplicationBuilder app) =>
        app.Map(Path, branch => branch.Run(context => AnswerAsync(context)));

    private static async Task AnswerAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScreenshotEndpoint));
        var timeProvider = services.GetRequiredService<TimeProvider>();
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, "screenshots are read with GET", logger);
            return;
        }

        if (services.GetRequiredService<OriginPolicy>().Check(context.Request) is { } originRefusal)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, originRefusal, logger);
            return;
        }

        var token = RequestToken.Read(context.Request, out var tokenProblem);
        if (token is null)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, tokenProblem, logger);
            return;
        }

        using var deadline = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        var authorization = await services.GetRequiredService<SessionAuthorizer>().AuthorizeScreenshotAsync(token, linked.Token);
        if (authorization is not SessionAuthorization.Granted { TokenHash: var hash, Record: var record, EndPoint: var endPoint })
        {
            var (status, reason) = authorization is SessionAuthorization.Unreachable unreachable
                ? (StatusCodes.Status502BadGateway, unreachable.Reason)
                : (((SessionAuthorization.Refused)authorization).StatusCode, ((SessionAuthorization.Refused)authorization).Reason);
            await RefuseAsync(context, status, reason, logger);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var dial = await services.GetRequiredService<TargetDialer>().DialAsync(endPoint, linked.Token);
        using var socket = dial.Socket;
        if (!dial.IsConnected)
        {
            await RefuseAsync(context, StatusCodes.Status502BadGateway, $"target unreachable: {dial.Error}", logger);
            return;
        }

        byte[] png;
        try
        {
            var security = services.GetRequiredService<RfbSecurityNegotiator>();
            Framebuffer framebuffer;
            if (security.Options.IsActive)
            {
                // Through the security proxy's own handshake (VeNCrypt, TLS), as a session would.
                await using var secured = await security.NegotiateAsync(dial.Socket!, record, hash, linked.Token);
                framebuffer = await RfbScreenCapture.CaptureAsync(secured, securityDone: security.Options.AuthSchemes.Count > 0, MaxPixels, linked.Token);
            }
            else
            {
                await using var plain = new NetworkStream(dial.Socket!, ownsSocket: false);
                framebuffer = await RfbScreenCapture.CaptureAsync(plain, securityDone: false, MaxPixels, linked.Token);
            }

            png = PngEncoder.Encode(framebuffer);
            LogTaken(logger, hash.ShortForm, record.Target.ToString(), framebuffer.Width, framebuffer.Height, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (ScreenCaptureException e)
        {
            await RefuseAsync(context, StatusCodes.Status502BadGateway, e.Message, logger);
            return;
        }
        catch (TargetSecurityException e)
        {
            await RefuseAsync(context, StatusCodes.Status502BadGateway, $"console security: {e.Message}", logger);
            return;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            await RefuseAsync(context, StatusCodes.Status504GatewayTimeout, $"the console did not send its screen within {Timeout.TotalSeconds:0} s", logger);
            return;
        }

        context.Response.ContentType = "image/png";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = png.Length;
        await context.Response.Body.WriteAsync(png, context.RequestAborted);
    }

    private static async Task RefuseAsync(HttpContext context, int status, string reason, ILogger logger)
    {
        LogRefused(logger, status, reason);
        await PlainTextAnswer.WriteAsync(context, status, reason);
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Screenshot for token {Token} of {Target}: {Width}x{Height} in {Milliseconds:0} ms")]
    private static partial void LogTaken(ILogger logger, string token, string target, int width, int height, double milliseconds);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Screenshot refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);
}
