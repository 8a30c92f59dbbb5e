using TestKit.Repository;

namespace TestKit.Processes;

/// <summary>
/// The built `console-operator` program (artifacts/bin/ConsoleOperator), run as a user runs it: short commands
/// (`crds`, `render`) to completion with their output, and `run` as a background <see cref="ChildProcess"/>.
/// </summary>
public static class ConsoleOperatorCli
{
    public static string Program => Checkout.BuiltProgram("ConsoleOperator", "console-operator.dll");

    /// <summary>Runs a command to completion; stdout and stderr apart, so YAML output is not mixed with logs.</summary>
    public static Task<CommandResult> RunToCompletionAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        Command.RunAsync("dotnet", [Program, .. arguments], TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);

    /// <summary>
    /// Starts `console-operator run --kubeconfig F` with the environment a pod gives it (POD_NAME, POD_NAMESPACE) and
    /// none of the in-cluster variables, logging JSON lines; stop it with <see cref="ChildProcess.TerminateAsync"/>.
    /// </summary>
    public static ChildProcess StartRun(string kubeconfig, string podName, string podNamespace, int metricsPort, IEnumerable<string> extraArguments)
    {
        string[] arguments =
        [
            Program, "run",
            "--kubeconfig", kubeconfig,
            "--metrics-port", metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--log-format", "json",
            .. extraArguments,
        ];
        return ChildProcess.Start("dotnet", arguments, Checkout.Root, new Dictionary<string, string?>
        {
            ["POD_NAME"] = podName,
            ["POD_NAMESPACE"] = podNamespace,
            ["KUBERNETES_SERVICE_HOST"] = null,
            ["KUBERNETES_SERVICE_PORT"] = null,
            ["KUBECONFIG"] = null,
        });
    }
}
