using System.Diagnostics;
using System.Net;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using ConsoleOperator.OnRealApiServer.Tests.Crds;
using TestKit.Processes;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace ConsoleOperator.OnRealApiServer.Tests.Install;

/// <summary>
/// Two `console-operator run --leader-elect` processes under the operator's ServiceAccount share the real Lease
/// console-operator-leader: one holds it, the other waits; the holder stopped gracefully releases it, so the other
/// takes it well before the 15 s lease would expire, and reconciles what is created after the hand-over.
/// </summary>
[Collection(RealApiServerCollection.Name)]
public sealed class LeaderElectionOnRealLeaseTests(RealApiServer cluster, ITestOutputHelper output)
{
    /// <summary>Under the lease duration (15 s): a take-over this fast used the release, not the expiry.</summary>
    private static readonly TimeSpan HandOver = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_waiting_operator_takes_the_released_lease_and_reconciles_after_the_hand_over()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        var kubeconfig = await OperatorInstallation.InstallAsync(cluster, ct);
        await using var console = await ExternalStoreConsole.CreateAsync(cluster, "leader", ct);
        var processes = new Dictionary<string, ChildProcess>
        {
            ["operator-a"] = OperatorInstallation.StartOperator(kubeconfig, "operator-a", "--leader-elect"),
            ["operator-b"] = OperatorInstallation.StartOperator(kubeconfig, "operator-b", "--leader-elect"),
        };
        try
        {
            string Logs() => string.Join("\n", processes.Select(p => $"--- {p.Key}\n{p.Value.Output}"));
            var first = await Eventually.GetAsync(
                ReadLeaseAsync, l => processes.ContainsKey(l?.Spec?.HolderIdentity ?? ""),
                "one operator holds the Lease", TimeSpan.FromSeconds(60), Logs, ct);
            var holder = first!.Spec.HolderIdentity;
            var waiter = processes.Keys.Single(k => k != holder);

            // The other keeps waiting while the holder renews.
            await Task.Delay(TimeSpan.FromSeconds(4), ct);
            Assert.Equal(holder, (await ReadLeaseAsync(ct))!.Spec.HolderIdentity);
            Assert.False(processes[waiter].HasExited, $"{waiter} exited:\n{Logs()}");

            var stopped = Stopwatch.StartNew();
            var exitCode = await processes[holder].TerminateAsync(TimeSpan.FromSeconds(30), ct);
            Assert.True(exitCode == 0, $"{holder} exit code {exitCode}:\n{Logs()}");
            await Eventually.GetAsync(
                ReadLeaseAsync, l => l?.Spec?.HolderIdentity == waiter,
                $"{waiter} takes the Lease {holder} released", HandOver, Logs, ct);
            stopped.Stop();
            output.WriteLine($"{waiter} held the Lease {stopped.Elapsed.TotalSeconds:F1} s after {holder} was sent SIGTERM");

            var tokens = CustomObjects.ConsoleTokens(cluster.Admin);
            await tokens.CreateAsync(console.Namespace, ExternalStoreConsole.Token("after-hand-over", 5902), ct);
            await Eventually.GetAsync(
                c => tokens.GetAsync(console.Namespace, "after-hand-over", c),
                t => t["status"]?["phase"]?.GetValue<string>() == "Active",
                $"{waiter} mints the ConsoleToken created after the hand-over ({stopped.Elapsed.TotalSeconds:F1} s)", TimeSpan.FromSeconds(60), Logs, ct);
            Assert.DoesNotContain("forbidden", Logs(), StringComparison.OrdinalIgnoreCase);
            Assert.True(await processes[waiter].TerminateAsync(TimeSpan.FromSeconds(30), ct) == 0, Logs());
        }
        finally
        {
            foreach (var process in processes.Values)
            {
                await process.DisposeAsync();
            }
        }
    }

    private async Task<V1Lease?> ReadLeaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await cluster.Admin.CoordinationV1.ReadNamespacedLeaseAsync(OperatorInstallation.LeaseName, OperatorInstallation.Namespace, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
