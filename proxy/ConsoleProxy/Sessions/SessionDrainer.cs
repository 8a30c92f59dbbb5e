using ConsoleProxy.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.Sessions;

/// <summary>
/// Graceful shutdown (SIGTERM on a rolling update): runs in the host's Stopping phase, before
/// Kestrel stops, so new upgrades are answered 503 while live sessions continue for up to
/// --drain-timeout; the ones still open then are closed with 1001 (going away), which noVNC shows
/// as a disconnect it may reconnect from, instead of a reset.
/// </summary>
public sealed partial class SessionDrainer(
    SessionRegistry registry,
    ProxyOptions options,
    TimeProvider timeProvider,
    ILogger<SessionDrainer> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // Time for the close handshakes after the 1001s went out.
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private int _drained;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // The host may be stopped twice (SIGTERM, then disposal); drain once.
        if (Interlocked.Exchange(ref _drained, 1) == 1)
        {
            return;
        }

        registry.BeginDrain();
        LogDraining(registry.Count, options.DrainTimeout.TotalSeconds);
        await WaitForNoSessionsAsync(options.DrainTimeout, cancellationToken);
        if (registry.Count > 0)
        {
            LogClosing(registry.Count);
        }

        registry.CloseAllForDrain();
        await WaitForNoSessionsAsync(CloseGrace, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WaitForNoSessionsAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + limit;
        try
        {
            while (registry.Reserved > 0 && timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(PollInterval, timeProvider, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: stop waiting, Kestrel aborts the rest.
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Draining: refusing new sessions, {Sessions} live session(s) may continue for {DrainSeconds} s")]
    private partial void LogDraining(int sessions, double drainSeconds);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Drain period over: closing {Sessions} session(s) with 1001")]
    private partial void LogClosing(int sessions);
}
