using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Election;
using ConsoleOperator.Kube.Runtime.Informers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Runtime.Hosting;

/// <summary>
/// Runs an operator's parts with the right lifetimes: informers and background services (e.g. the event recorder)
/// always, so caches stay warm on standby replicas; controllers only while this replica leads (or always, without
/// leader election). The moment leadership is lost the controllers' workers are cancelled; the manager then stands
/// for election again.
/// </summary>
public sealed class ControllerManager
{
    private readonly List<IInformer> informers = [];
    private readonly List<IController> controllers = [];
    private readonly List<(string Name, Func<CancellationToken, Task> Run)> services = [];
    private readonly LeaderElector? elector;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private int started;

    /// <param name="elector">Null runs the controllers without leader election (a single replica).</param>
    public ControllerManager(LeaderElector? elector = null, TimeProvider? timeProvider = null, ILogger<ControllerManager>? logger = null)
    {
        this.elector = elector;
        time = timeProvider ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public IReadOnlyList<IInformer> InformerList => informers;

    public IReadOnlyList<IController> Controllers => controllers;

    /// <summary>Ready to serve: every informer has synced.</summary>
    public bool IsReady => informers.All(informer => informer.HasSynced);

    /// <summary>The informers that have not synced yet (what /readyz reports).</summary>
    public IReadOnlyList<string> UnsyncedInformers => [.. informers.Where(informer => !informer.HasSynced).Select(informer => informer.Name)];

    /// <summary>Whether this replica runs the controllers now.</summary>
    public bool IsLeading => elector?.IsLeader ?? Volatile.Read(ref started) == 1;

    /// <summary>Adds an informer (and every informer a controller reads is added with it).</summary>
    public ControllerManager AddInformer(IInformer informer)
    {
        ArgumentNullException.ThrowIfNull(informer);
        EnsureNotStarted();
        if (!informers.Contains(informer))
        {
            informers.Add(informer);
        }

        return this;
    }

    public ControllerManager AddController(IController controller)
    {
        ArgumentNullException.ThrowIfNull(controller);
        EnsureNotStarted();
        controllers.Add(controller);
        foreach (var informer in controller.Informers)
        {
            AddInformer(informer);
        }

        return this;
    }

    /// <summary>A background loop that runs on every replica, leading or not (e.g. the event recorder).</summary>
    public ControllerManager AddService(string name, Func<CancellationToken, Task> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        EnsureNotStarted();
        services.Add((name, run));
        return this;
    }

    /// <summary>Runs everything until <paramref name="cancellationToken"/> is cancelled, then stops it all.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref started, 1) == 1)
        {
            throw new InvalidOperationException("The controller manager is already running.");
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var background = informers.Select(informer => RunGuardedAsync($"informer {informer.Name}", informer.RunAsync, stopping.Token))
            .Concat(services.Select(service => RunGuardedAsync($"service {service.Name}", service.Run, stopping.Token)))
            .ToList();
        try
        {
            if (elector is null)
            {
                await RunControllersAsync(cancellationToken);
            }
            else
            {
                await StandForElectionAsync(elector, cancellationToken);
            }
        }
        finally
        {
            await stopping.CancelAsync();
            await Task.WhenAll(background);
            Volatile.Write(ref started, 0);
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
                logger.LogError(e, "The controllers failed while leading; standing for election again");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            logger.LogInformation("Leadership ended; standing for election again");
            try
            {
                // A pause before standing again, so a failing controller cannot spin the lease.
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunControllersAsync(CancellationToken leadership)
    {
        logger.LogInformation("Starting {Count} controllers", controllers.Count);
        await Task.WhenAll(controllers.Select(controller => controller.RunAsync(leadership)));
        logger.LogInformation("Controllers stopped");
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
            logger.LogCritical(e, "The {What} stopped with an error", what);
        }
    }

    private void EnsureNotStarted()
    {
        if (Volatile.Read(ref started) == 1)
        {
            throw new InvalidOperationException("Add informers, controllers and services before the manager runs.");
        }
    }
}
