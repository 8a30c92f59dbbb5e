using ConsoleProxy.Metrics;
using ConsoleProxy.Sessions;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Audit;

/// <summary>
/// The audit trail: one structured line when a session starts and one when it ends (who, which
/// VM, from where, how long, how many bytes, why it closed), under its own category
/// `ConsoleProxy.Audit` so a log pipeline can route it apart from diagnostics. A token appears only
/// as its hash's short form; the raw token and the request URL never reach a log line.
/// </summary>
public sealed partial class SessionAuditLog(ILoggerFactory loggerFactory)
{
    public const string Category = "ConsoleProxy.Audit";

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    public void Started(ConsoleSession session) =>
        LogStarted(
            session.Id,
            session.TokenHash.ShortForm,
            session.Record.Owner,
            session.Record.Instance,
            session.Record.Target.ToString(),
            session.TargetEndPoint.ToString(),
            session.Client,
            session.Record.IsViewOnly,
            Tokens.Kinds.ConsoleKindNames.NameOf(session.Record.Kind));

    public void Ended(ConsoleSession session, SessionCloseReason reason, TimeSpan duration) =>
        LogEnded(
            session.Id,
            reason.Code,
            reason.Description,
            session.TokenHash.ShortForm,
            session.Record.Owner,
            session.Record.Instance,
            session.Record.Target.ToString(),
            session.Client,
            session.BytesToClient,
            session.BytesToTarget,
            duration.TotalSeconds,
            PrometheusOutcome(reason),
            Tokens.Kinds.ConsoleKindNames.NameOf(session.Record.Kind));

    /// <summary>The upgrade went through but the VNC server could not be reached: the user saw 4005.</summary>
    public void Unreachable(string token, string owner, string instance, string target, string client, string error) =>
        LogUnreachable(token, owner, instance, target, client, error);

    private static string PrometheusOutcome(SessionCloseReason reason) => Metrics.LabelValue.SnakeCase(reason.Outcome.ToString());

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Session {SessionId} started: token {Token}, owner '{Owner}', instance '{Instance}', target {Target} ({Address}), client {Client}, view-only {ViewOnly}, kind {Kind}")]
    private partial void LogStarted(long sessionId, string token, string owner, string instance, string target, string address, string client, bool viewOnly, string kind);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Session {SessionId} ended with {CloseCode} ({CloseReason}): token {Token}, owner '{Owner}', instance '{Instance}', target {Target}, client {Client}, {BytesToClient} bytes to client, {BytesToTarget} bytes to target, {DurationSeconds:0.###} s, outcome {Outcome}, kind {Kind}")]
    private partial void LogEnded(long sessionId, int closeCode, string closeReason, string token, string owner, string instance, string target, string client, long bytesToClient, long bytesToTarget, double durationSeconds, string outcome, string kind);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Target unreachable (closed 4005): token {Token}, owner '{Owner}', instance '{Instance}', target {Target}, client {Client}: {Error}")]
    private partial void LogUnreachable(string token, string owner, string instance, string target, string client, string error);
}
