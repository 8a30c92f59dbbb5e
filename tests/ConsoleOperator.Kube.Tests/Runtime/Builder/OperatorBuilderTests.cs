using System.ComponentModel.DataAnnotations;
using System.Net;
using ConsoleOperator.Kube.Runtime.Builder;
using ConsoleOperator.Kube.Runtime.Election;
using TestKit.Polling;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ConsoleOperator.Kube.Tests.Runtime.Builder;

/// <summary>
/// The KubeOps-shaped surface end to end on a real API server: AddKubernetesOperator().AddController().AddFinalizer()
/// in a .NET host; the controller and finalizer come from DI; the runtime owns the finalizer protocol.
/// </summary>
public sealed class OperatorBuilderTests(RealApiServerFixture cluster) : IClassFixture<RealApiServerFixture>
{
    private const string Finalizer = "example.dev/journal";

    [Fact]
    public async Task A_ConfigMap_gets_the_finalizer_before_its_reconcile_and_is_finalized_retried_and_reported_deleted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = timeout.Token;
        var ns = await cluster.CreateNamespaceAsync("builder", ct);
        using var host = BuildHost(ns, "builder-test");
        var journal = host.Services.GetRequiredService<ConfigMapJournal>();
        await host.StartAsync(ct);
        try
        {
            await cluster.Admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c1" } }, ns, cancellationToken: ct);

            await Poll.UntilAsync(() => journal.Lines.Contains($"reconcile c1 [{Finalizer}]"), "c1 is reconciled with the finalizer on it");
            Assert.DoesNotContain("reconcile c1 []", journal.Lines);
            var stored = await cluster.Admin.CoreV1.ReadNamespacedConfigMapAsync("c1", ns, cancellationToken: ct);
            Assert.Equal([Finalizer], stored.Metadata.Finalizers);

            await cluster.Admin.CoreV1.DeleteNamespacedConfigMapAsync("c1", ns, cancellationToken: ct);

            await Poll.UntilAsync(() => journal.Lines.Contains("deleted c1"), "c1's deletion reaches DeletedAsync");
            var gone = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Admin.CoreV1.ReadNamespacedConfigMapAsync("c1", ns, cancellationToken: ct));
            Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
            var lines = journal.Lines;
            Assert.True(
                lines.IndexOf("finalize c1 failed") < lines.IndexOf("finalize c1") && lines.IndexOf("finalize c1") < lines.IndexOf("deleted c1"),
                "the failed cleanup was retried, and the object went only after it succeeded: " + string.Join(" | ", lines));
            // A terminating object goes to the finalizers only, never to ReconcileAsync.
            Assert.DoesNotContain(lines.Skip(lines.IndexOf("finalize c1 failed")), line => line.StartsWith("reconcile", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Options_that_cannot_work_stop_the_host_at_start_with_what_to_change()
    {
        using var host = BuildHost("unused", identity: "", leaderElection: true);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("identity must be set", refused.Message, StringComparison.Ordinal);
        Assert.Contains("leader election needs the namespace of the Lease", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Leader_election_names_the_Lease_and_holds_it_as_the_replicas_identity()
    {
        var options = new OperatorOptions
        {
            ReportingController = "example.dev/builder-test",
            Identity = "pod-1",
            LeaseNamespace = "kube-system",
            LeaderElection = new LeaderElectionOptions { Identity = "pod-2" },
        };

        var refusals = options.Validate(new ValidationContext(options)).Select(refusal => refusal.ErrorMessage).ToList();

        Assert.Contains("leader election needs the Lease's name", refusals);
        Assert.Contains("leader election holds the Lease as the replica's identity 'pod-1': leave LeaderElection.Identity unset, not 'pod-2'", refusals);

        var unset = new OperatorOptions
        {
            ReportingController = "example.dev/builder-test",
            Identity = "pod-1",
            LeaseNamespace = "kube-system",
            LeaseName = "console-operator",
            LeaderElection = new LeaderElectionOptions(),
        };
        Assert.Empty(unset.Validate(new ValidationContext(unset)));
    }

    [Fact]
    public void A_kind_gets_one_controller()
    {
        var services = new ServiceCollection();
        var builder = services.AddKubernetesOperator(_ => { }).AddController<JournalController, V1ConfigMap>();

        var twice = Assert.Throws<InvalidOperationException>(() => builder.AddController<JournalController, V1ConfigMap>());

        Assert.Contains("V1ConfigMap already has a controller", twice.Message, StringComparison.Ordinal);
    }

    private IHost BuildHost(string ns, string identity, bool leaderElection = false)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(cluster.Configuration);
        builder.Services.AddSingleton<ConfigMapJournal>();
        builder.Services
            .AddKubernetesOperator(options =>
            {
                options.ReportingController = "example.dev/builder-test";
                options.Identity = identity;
                options.Namespace = ns;
                options.LeaderElection = leaderElection ? new LeaderElectionOptions { Identity = identity } : null;
            })
            .AddController<JournalController, V1ConfigMap>(controller => controller.Name = "journal")
            .AddFinalizer<JournalFinalizer, V1ConfigMap>(Finalizer);
        return builder.Build();
    }
}
