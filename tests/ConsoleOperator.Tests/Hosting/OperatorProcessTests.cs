using System.Diagnostics;
using System.Globalization;
using System.Net;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Network;
using TestKit.Polling;
using ConsoleOperator.Tests.ConsoleProxies;

namespace ConsoleOperator.Tests.Hosting;

/// <summary>The built console-operator as a separate process: SIGTERM stops it cleanly, lease released, exit code 0.</summary>
public sealed class OperatorProcessTests
{
    [Fact]
    public async Task Sigterm_stops_the_operator_process_with_exit_code_0_after_releasing_its_lease()
    {
        await using var cluster = await ProxyTestCluster.StartAsync();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: {cluster.Server.BaseAddress.ToString().TrimEnd('/')}
            contexts:
              - name: fake
                context:
                  cluster: fake
            current-context: fake
            """);
        var port = FreeTcpPort.Next(IPAddress.Loopback);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "console-operator.dll"), "run", "--kubeconfig", kubeconfig, "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--leader-elect", "--log-format", "json" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["POD_NAMESPACE"] = "default";
        start.Environment["POD_NAME"] = "operator-exe-0";
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        using var process = new Process { StartInfo = start };
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var leases = cluster.Kubectl.Resource<k8s.Models.V1Lease>("default");
            await Poll.UntilAsync(
                async () => (await leases.GetOrDefaultAsync(OperatorSettings.DefaultLeaseName))?.Spec?.HolderIdentity == "operator-exe-0",
                "the operator process takes the lease",
                TimeSpan.FromSeconds(40));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            string log;
            lock (output)
            {
                log = output.ToString();
            }

            Assert.True(process.ExitCode == OperatorExitCodes.Stopped, $"exit code {process.ExitCode}:\n{log}");
            Assert.Null((await leases.GetAsync(OperatorSettings.DefaultLeaseName)).Spec?.HolderIdentity);
            Assert.Contains("\"Category\":\"ConsoleOperator.Kube.Runtime.Election.LeaderElector\"", log, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            File.Delete(kubeconfig);
        }
    }
}
