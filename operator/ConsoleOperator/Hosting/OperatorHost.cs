using ConsoleOperator.Builders;
using ConsoleOperator.Kube.Client;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;
using ConsoleOperator.Kube.Runtime.Health;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConsoleOperator.Hosting;

/// <summary>
/// The operator process: one API connection, the controllers under leader election, /healthz, /readyz and /metrics on
/// the metrics port (Kestrel), structured logs on stdout, and a graceful stop on SIGTERM or Ctrl-C (controllers
/// cancelled, lease released, informers closed) within <see cref="OperatorSettings.ShutdownTimeout"/>.
/// </summary>
public static class OperatorHost
{
    /// <summary>Runs until <paramref name="cancellationToken"/> (or a signal) asks it to stop; returns an <see cref="OperatorExitCodes"/> value.</summary>
    public static async Task<int> RunAsync(OperatorSettings settings, Func<string, string?> environment, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(error);
        var time = TimeProvider.System;
        KubernetesClientConfiguration cluster;
        try
        {
            settings.Validate();
            cluster = ClusterConfigurationLoader.Load(settings.KubeconfigPath, environment);
        }
        catch (OperatorConfigurationException e)
        {
            await error.WriteLineAsync($"console-operator run: {e.Message}");
            return OperatorExitCodes.InvalidConfiguration;
        }

        await using var app = Build(settings, cluster, time);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ConsoleOperator.Hosting.OperatorHost");

        // Resolved before running: RunAsync disposes the host (and its service provider) when it returns.
        var manager = app.Services.GetRequiredService<ControllerManager>();
        logger.LogInformation(
            "console-operator {Version} starting: API server {Server}, namespace {Namespace}, leader election {LeaderElection} as {Identity}, metrics on port {MetricsPort}",
            OperatorDefaults.ReleaseVersion(), cluster.Host, settings.Namespace ?? "(all)", settings.LeaderElect ? "on" : "off", settings.Identity, settings.MetricsPort);
        try
        {
            await app.RunAsync(cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            // ValidateOnStart: settings that passed the early check but not every validator.
            await error.WriteLineAsync($"console-operator run: {e.Message}");
            return OperatorExitCodes.InvalidConfiguration;
        }
        catch (IOException e)
        {
            // Kestrel could not bind (the port is taken): nothing ran yet.
            logger.LogCritical(e, "Cannot serve health and metrics on port {MetricsPort}", settings.MetricsPort);
            return OperatorExitCodes.Failed;
        }

        // The host and its loggers are disposed by now; a failure was logged when it happened (ControllerManager).
        return manager.Failure is null ? OperatorExitCodes.Stopped : OperatorExitCodes.Failed;
    }

    private static WebApplication Build(OperatorSettings settings, KubernetesClientConfiguration cluster, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "console-operator", Args = [] });
        ConfigureLogging(builder.Logging, settings.LogFormat);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenAnyIP(settings.MetricsPort);
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddConsoleOperator(settings);

        var app = builder.Build();
        app.MapOperatorEndpoints();
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        // Kestrel and routing chatter says nothing about consoles; its warnings and errors still come through.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(options =>
            {
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                options.IncludeScopes = false;
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }
    }
}
