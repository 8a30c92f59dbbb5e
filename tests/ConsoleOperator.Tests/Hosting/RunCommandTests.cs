using System.CommandLine;
using System.Globalization;
using System.Net;
using ConsoleOperator.Cli;
using ConsoleOperator.Hosting;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Metrics;
using TestKit.Network;
using TestKit.Polling;
using TestKit.Processes;
using ConsoleOperator.Tests.ConsoleProxies;

namespace ConsoleOperator.Tests.Hosting;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_serves_health_and_metrics_reconciles_proxies_and_shuts_down_cleanly_releasing_the_lease()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await ProxyTestCluster.StartAsync();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: {cluster.Server.BaseAddress.ToString().TrimEnd('/')}
            users:
              - name: operator
                user:
                  token: operator-token
            contexts:
              - name: fake
                context:
                  cluster: fake
                  user: operator
            current-context: fake
            """);
        var port = FreeTcpPort.Next(IPAddress.Loopback);
        using var stop = new CancellationTokenSource();
        using var errors = new StringWriter();
        var root = new RootCommand { RunCommand.Create(Environment("default", "operator-test-0")) };
        var run = root.Parse(["run", "--kubeconfig", kubeconfig, "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--leader-elect", "--log-format", "simple"])
            .InvokeAsync(new InvocationConfiguration { Error = errors, ProcessTerminationTimeout = null }, stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Poll.UntilAsync(async () => await StatusOfAsync(http, "/healthz") == HttpStatusCode.OK, "/healthz answers", TimeSpan.FromSeconds(30));
            await Poll.UntilAsync(async () => await StatusOfAsync(http, "/readyz") == HttpStatusCode.OK, "/readyz reports the caches synced", TimeSpan.FromSeconds(30));

            await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address));
            await Poll.UntilAsync(async () => (await cluster.GetProxyAsync()).Status?.ObservedGeneration == 1, "the operator reconciles the proxy", TimeSpan.FromSeconds(30));

            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("controller_runtime_reconcile_total{controller=\"consoleproxy\",result=\"requeue_after\"}", metrics, StringComparison.Ordinal);
            Assert.Contains("controller_runtime_reconcile_total{controller=\"consoletoken\"", metrics, StringComparison.Ordinal);
            var violations = MetricsContract.Violations(MetricsContract.Load("operator"), metrics);
            Assert.True(violations.Count == 0, $"/metrics breaks the families dashboards depend on (tests/fixtures/metrics/operator.txt):\n{string.Join('\n', violations)}");
            var leases = cluster.Kubectl.Resource<k8s.Models.V1Lease>("default");
            Assert.Equal("operator-test-0", (await leases.GetAsync(OperatorSettings.DefaultLeaseName)).Spec?.HolderIdentity);

            await stop.CancelAsync();
            var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exit == OperatorExitCodes.Stopped, $"exit code {exit}: {errors}");
            Assert.Null((await leases.GetAsync(OperatorSettings.DefaultLeaseName)).Spec?.HolderIdentity);
            Assert.Equal(string.Empty, errors.ToString());
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task A_missing_kubeconfig_stops_run_at_once_with_exit_code_2_and_a_message()
    {
        using var errors = new StringWriter();
        var root = new RootCommand { RunCommand.Create(Environment("default", "operator-test-0")) };

        var exit = await root.Parse(["run", "--kubeconfig", "/nonexistent/kubeconfig"]).InvokeAsync(new InvocationConfiguration { Error = errors, ProcessTerminationTimeout = null });

        Assert.Equal(OperatorExitCodes.InvalidConfiguration, exit);
        Assert.Contains("--kubeconfig /nonexistent/kubeconfig: no such file", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leader_election_without_a_lease_namespace_is_refused_with_what_to_set()
    {
        using var errors = new StringWriter();
        var root = new RootCommand { RunCommand.Create(Environment(null, "operator-test-0")) };

        var exit = await root.Parse(["run", "--leader-elect", "--kubeconfig", "/nonexistent/kubeconfig"]).InvokeAsync(new InvocationConfiguration { Error = errors, ProcessTerminationTimeout = null });

        Assert.Equal(OperatorExitCodes.InvalidConfiguration, exit);
        Assert.Contains("POD_NAMESPACE", errors.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("301")]
    public async Task A_session_sweep_period_outside_1_to_300_seconds_is_refused_naming_the_flag(string seconds)
    {
        using var errors = new StringWriter();
        var root = new RootCommand { RunCommand.Create(Environment("console-operator", "operator-test-0")) };

        var exit = await root.Parse(["run", "--session-sweep-seconds", seconds, "--kubeconfig", "/nonexistent/kubeconfig"])
            .InvokeAsync(new InvocationConfiguration { Error = errors, ProcessTerminationTimeout = null });

        Assert.Equal(OperatorExitCodes.InvalidConfiguration, exit);
        Assert.Contains("--session-sweep-seconds must be between 1 and 300", errors.ToString(), StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(string? podNamespace, string podName) => name => name switch
    {
        "POD_NAMESPACE" => podNamespace,
        "POD_NAME" => podName,
        _ => null,
    };

    private static async Task<HttpStatusCode?> StatusOfAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
