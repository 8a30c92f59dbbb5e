using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Hosting;

/// <summary>
/// A background pass run every <see cref="Period"/> on the injected clock until cancelled: the loop the operator's
/// periodic services share (the session status sweep, the token store monitor). A pass that fails with an exception
/// the caller names as passing (e.g. an API server that refused one write) is logged and the loop goes on, since the
/// next pass computes everything again; any other exception ends the loop, so a bug is not hidden behind a log line
/// every period. A pass that overruns the period skips the ticks it missed (<see cref="PeriodicTimer"/>), so passes
/// never overlap.
/// </summary>
public sealed class PeriodicService
{
    private readonly string _name;
    private readonly Func<CancellationToken, Task> _pass;
    private readonly Func<Exception, bool> _passing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="name">What the loop does, for its log lines (e.g. "session status sweep").</param>
    /// <param name="period">The time between the starts of two passes; the first pass runs one period after start.</param>
    /// <param name="pass">One pass.</param>
    /// <param name="passing">Which exceptions of a pass are logged and retried next period (none when null).</param>
    public PeriodicService(
        string name,
        TimeSpan period,
        Func<CancellationToken, Task> pass,
        TimeProvider timeProvider,
        Func<Exception, bool>? passing = null,
        ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _name = name;
        Period = period;
        _pass = pass;
        _passing = passing ?? (static _ => false);
        _time = timeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The time between the starts of two passes.</summary>
    public TimeSpan Period { get; }

    /// <summary>Runs a pass every period until <paramref name="cancellationToken"/> is cancelled (then returns quietly).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await _pass(cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested && _passing(exception))
                {
                    _logger.LogWarning("The {Loop} pass failed and runs again in {Period}: {Message}", _name, Period, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
