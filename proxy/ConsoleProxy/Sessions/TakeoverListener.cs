using ConsoleProxy.Configuration;
using ConsoleProxy.Tokens.Sessions;
using ConsoleProxy.Tokens.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Sessions;

/// <summary>
/// Closes this process's sessions that a newer session on another proxy took over (--on-session-limit takeover):
/// the other proxy publishes `{instance}/{id}` on the takeover channel and this one ends that session with 4006.
/// </summary>
public sealed partial class TakeoverListener(SessionRegistry registry, SessionDirectory directory, ProxyOptions options, ILogger<TakeoverListener> logger) : IHostedService
{
    private IAsyncDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _subscription = await directory.SubscribeTakeoversAsync(options.InstanceName, OnTakeoverAsync, cancellationToken);
        }
        catch (TokenStoreUnavailableException e)
        {
            // Without it this process's sessions cannot be taken over from another proxy; local takeovers still work.
            LogSubscribeFailed(e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }

    private ValueTask OnTakeoverAsync(long sessionId, string limit)
    {
        if (registry.Find(sessionId) is { } session && session.Terminate(SessionCloseReason.TakenOver(limit)))
        {
            LogTakenOver(sessionId, session.TokenHash.ShortForm);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Session {SessionId} (token {Token}) taken over by a newer session on another proxy (4006)")]
    private partial void LogTakenOver(long sessionId, string token);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Could not subscribe to session takeovers; sessions on this proxy cannot be taken over from other proxies: {Reason}")]
    private partial void LogSubscribeFailed(string reason);
}
