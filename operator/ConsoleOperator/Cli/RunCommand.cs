using System.CommandLine;
using ConsoleOperator.Builders;
using ConsoleOperator.Hosting;

namespace ConsoleOperator.Cli;

/// <summary>
/// `console-operator run`: the operator process. Flags win over the environment (CONSOLE_OPERATOR_PROXY_IMAGE for
/// the proxy image; POD_NAME and POD_NAMESPACE, from the downward API, name this replica and the lease's namespace).
/// </summary>
public static class RunCommand
{
    /// <summary>
    /// How long the process waits after SIGTERM for `run` to finish before it exits anyway: longer than the host's own
    /// shutdown timeout (<see cref="OperatorSettings.ShutdownTimeout"/>), shorter than the pod's 30 s grace period.
    /// </summary>
    public static TimeSpan TerminationTimeout { get; } = TimeSpan.FromSeconds(25);

    public static Command Create() => Create(Environment.GetEnvironmentVariable);

    /// <param name="environment">Reads environment variables (tests pass their own).</param>
    public static Command Create(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "A kubeconfig file. Default: the pod's service account in a cluster, else KUBECONFIG or ~/.kube/config.",
        };
        var watchNamespace = new Option<string?>("--namespace", "-n")
        {
            Description = "Watch ConsoleProxies and ConsoleTokens in this namespace only. Default: all namespaces.",
        };
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Run the controllers only while holding the Lease in POD_NAMESPACE (for more than one replica).",
        };
        var metricsPort = new Option<int>("--metrics-port")
        {
            Description = "Port of /healthz, /readyz and /metrics.",
            DefaultValueFactory = _ => 8080,
        };
        var proxyImage = new Option<string?>("--proxy-image")
        {
            Description = "The proxy image for ConsoleProxies without spec.image. Default: $CONSOLE_OPERATOR_PROXY_IMAGE, else this release's image.",
        };
        var redisImage = new Option<string>("--redis-image")
        {
            Description = "The Redis image of managed token stores without their own image.",
            DefaultValueFactory = _ => OperatorDefaults.DefaultRedisImage,
        };
        var sessionSweepSeconds = new Option<int>("--session-sweep-seconds")
        {
            Description = "How often who is connected is read from the token stores into ConsoleToken and ConsoleProxy status (1-300). A status is written at most once per period, and only when it changed.",
            DefaultValueFactory = _ => (int)OperatorSettings.DefaultSessionSweepPeriod.TotalSeconds,
        };
        var logFormat = new Option<LogFormat>("--log-format")
        {
            Description = "json (one object per line, for collectors) or simple (one readable line).",
            DefaultValueFactory = _ => LogFormat.Json,
        };
        var command = new Command("run", "Run the operator: reconcile ConsoleProxies and ConsoleTokens until SIGTERM.")
        {
            kubeconfig, watchNamespace, leaderElect, metricsPort, proxyImage, redisImage, sessionSweepSeconds, logFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var ns = parse.GetValue(watchNamespace);
            var podNamespace = environment("POD_NAMESPACE");
            var settings = new OperatorSettings
            {
                KubeconfigPath = parse.GetValue(kubeconfig),
                Namespace = ns,
                LeaderElect = parse.GetValue(leaderElect),
                MetricsPort = parse.GetValue(metricsPort),
                Defaults = new OperatorDefaults(
                    parse.GetValue(proxyImage) ?? NonEmpty(environment("CONSOLE_OPERATOR_PROXY_IMAGE")) ?? OperatorDefaults.ForThisRelease.ProxyImage,
                    parse.GetValue(redisImage) ?? OperatorDefaults.DefaultRedisImage),
                SessionSweepPeriod = TimeSpan.FromSeconds(parse.GetValue(sessionSweepSeconds)),
                LogFormat = parse.GetValue(logFormat),
                Identity = OperatorIdentity.Resolve(environment),
                LeaseNamespace = NonEmpty(podNamespace) ?? ns,
            };
            return await OperatorHost.RunAsync(settings, environment, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
