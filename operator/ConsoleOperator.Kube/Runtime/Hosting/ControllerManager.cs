using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Runtime.Informers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Runtime.Hosting;

/// <summary>
/// Runs an operator's parts with the right lifetimes: informers and background services (e.g. the event recorder)
/// always, so caches stay warm on standby replicas; controllers only while this replica leads (or always, without
/// leader election). The moment leadership is lost the controllers' workers are cancelled; the manager then stands
/// for election again. Hosted, it runs for the host's lifetime; if it stops by itself (an error, never a request) the
/// whole process stops and says so: a half-alive operator that answers /healthz but reconciles nothing is worse than a
/// restart.
/// </summary>
public sealed class ControllerManager : BackgroundService
{
    private readonly IReadOnlyList<IInformer> _informers;
    private readonly IReadOnlyList<IController> _controllers;
    private readonly IReadOnlyList<(string Name, Func<CancellationToken, Task> Run)> _services;
    private readonly LeaderElector? _elector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IHostApplicationLifetime? _lifetime;
    private int _started;
    private volatile Exception? _failure;

    /// <param name="informers">Run besides those the controllers read (each runs once).</param>
    /// <param name="services">Background loops that run on every replica, leading or not (e.g. the event recorder).</param>
    /// <param name="elector">Null runs the controllers without leader election (a single replica).</param>
    /// <param name="lifetime">Stopped when the hosted manager fails; null: only <see cref="Failure"/> tells.</param>
    public ControllerManager(
        IEnumerable<IController> controllers,
        IEnumerable<IInformer>? informers = null,
        IEnumerable<(string Name, Func<CancellationToken, Task> Run)>? services = null,
        LeaderElector? elector = null,
        TimeProvider? timeProvider = null,
        ILogger<ControllerManager>? logger = null,
        IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(controllers);
        _controllers = [.. controllers];
        _informers = [.. _controllers.SelectMany(controller => controller.Informers).Concat(informers ?? []).Distinct()];
        _services = [.. services ?? []];
        _elector = elector;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _lifetime = lifetime;
    }

    /// <summary>Why the hosted manager stopped on its own, or null.</summary>
    public Exception? Failure => _failure;

    public IReadOnlyList<IInformer> InformerList => _informers;

    public IReadOnlyList<IController> Controllers => _controllers;

    /// <summary>Ready to serve: every informer has synced.</summary>
    public bool IsReady => UnsyncedInformers.Count == 0;

    /// <summary>The informers that have not synced yet (what /readyz reports).</summary>
    public IReadOnlyList<string> UnsyncedInformers => [.. _informers.Where(informer => !informer.HasSynced).Select(informer => informer.Name)];

    /// <summary>Whether this replica runs the controllers now.</summary>
    public bool IsLeading => _elector?.IsLeader ?? Volatile.Read(ref _started) == 1;

    /// <summary>Runs everything until <paramref name="cancellationToken"/> is cancelled, then stops it all.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The controller manager is already running.");
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var background = _informers.Select(informer => RunGuardedAsync($"informer {informer.Name}", informer.RunAsync, stopping.Token))
            .Concat(_services.Select(service => RunGuardedAsync($"service {service.Name}", service.Run, stopping.Token)))
            .ToList();
        try
        {
            if (_elector is null)
            {
                await RunControllersAsync(cancellationToken);
            }
            else
            {
                await StandForElectionAsync(_elector, cancellationToken);
            }
        }
        finally
        {
            await stopping.CancelAsync();
            await Task.WhenAll(background);
            Volatile.Write(ref _started, 0);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                _failure = new InvalidOperationException("the controller manager stopped without being asked to");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = e;
        }

        if (_failure is not null)
        {
            _logger.LogCritical(_failure, "The operator stopped working; shutting down");
            _lifetime?.StopApplication();
        }
    }

    private async Task StandForElectionAsync(LeaderElector leaderElector, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await leaderElector.RunAsync(RunControllersAsync, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogError(e, "The controllers failed while leading; standing for election again");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _logger.LogInformation("Leadership ended; standing for election again");

            // A pause before standing again, so a failing controller cannot spin the lease.
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RunControllersAsync(CancellationToken leadership)
    {
        _logger.LogInformation("Starting {Count} controllers", _controllers.Count);
        await Task.WhenAll(_controllers.Select(controller => controller.RunAsync(leadership)));
        _logger.LogInformation("Controllers stopped");
    }

    private async Task RunGuardedAsync(string what, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(() => run(cancellationToken), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Informers never end by themselves; one that does is a bug, and readiness will show it.
            _logger.LogCritical(e, "The {What} stopped with an error", what);
        }
    }
}
