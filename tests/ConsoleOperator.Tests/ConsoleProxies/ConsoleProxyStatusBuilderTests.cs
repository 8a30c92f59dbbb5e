using TestKit.Time;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.FakeApiServer;
using ConsoleOperator.Tests.Builders;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleProxies;

public sealed class ConsoleProxyStatusBuilderTests
{
    private static readonly TokenStoreHealth Reachable = TokenStoreHealth.Reachable("10.30.0.15:6379");

    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-20T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Available_pods_and_a_reachable_store_make_the_proxy_ready_with_replica_counts_and_url()
    {
        var status = ConsoleProxyStatusBuilder.Reconciled(SampleProxies.Managed(), Deployment(desired: 2, current: 2, updated: 2, ready: 2), Reachable, _clock);

        Assert.Equal((1L, 2, 2, "https://console.example.com"), (status.ObservedGeneration, status.Replicas, status.ReadyReplicas, status.Url));
        Assert.Equal(ConsoleProxyReasons.ProxiesAvailable, Condition(status, ConsoleProxyConditions.Ready).Reason);
        Assert.Equal(ConditionStatus.False, Condition(status, ConsoleProxyConditions.Progressing).Status);
        Assert.All(status.Conditions!, condition => Assert.Equal(1, condition.ObservedGeneration));
    }

    [Fact]
    public void Old_pods_still_running_keep_the_rollout_progressing()
    {
        var status = ConsoleProxyStatusBuilder.Reconciled(SampleProxies.Managed(), Deployment(desired: 2, current: 3, updated: 2, ready: 3), Reachable, _clock);

        var progressing = Condition(status, ConsoleProxyConditions.Progressing);
        Assert.Equal((ConditionStatus.True, ConsoleProxyReasons.RollingOut), (progressing.Status, progressing.Reason));
        Assert.Contains("2 of 2 proxy pods updated, 3 running", progressing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deployment_that_has_not_seen_the_latest_spec_is_progressing()
    {
        var deployment = Deployment(desired: 2, current: 2, updated: 2, ready: 2);
        deployment.Metadata.Generation = 4;

        var status = ConsoleProxyStatusBuilder.Reconciled(SampleProxies.Managed(), deployment, Reachable, _clock);

        Assert.Equal(ConditionStatus.True, Condition(status, ConsoleProxyConditions.Progressing).Status);
        Assert.Equal(ConditionStatus.False, Condition(status, ConsoleProxyConditions.Ready).Status);
    }

    [Fact]
    public void A_rollout_past_its_progress_deadline_is_degraded_with_the_deployment_reason()
    {
        var deployment = Deployment(desired: 2, current: 3, updated: 1, ready: 2);
        deployment.Status!.Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"console-proxy-5d8\" has timed out progressing." }];

        var status = ConsoleProxyStatusBuilder.Reconciled(SampleProxies.Managed(), deployment, Reachable, _clock);

        var degraded = Condition(status, ConsoleProxyConditions.Degraded);
        Assert.Equal((ConditionStatus.True, ConsoleProxyReasons.RolloutStuck), (degraded.Status, degraded.Reason));
        Assert.Contains("ProgressDeadlineExceeded", degraded.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl -n consoles describe deployment console-proxy", degraded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_replicas_is_not_ready_and_says_what_to_raise()
    {
        var status = ConsoleProxyStatusBuilder.Reconciled(SampleProxies.Managed(), Deployment(desired: 0, current: 0, updated: 0, ready: 0), Reachable, _clock);

        var ready = Condition(status, ConsoleProxyConditions.Ready);
        Assert.Equal(ConsoleProxyReasons.ScaledToZero, ready.Reason);
        Assert.Contains("spec.replicas", ready.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transition_time_moves_when_the_status_flips_and_not_when_only_the_message_changes()
    {
        var proxy = SampleProxies.Managed();
        var first = ConsoleProxyStatusBuilder.Reconciled(proxy, Deployment(desired: 2, current: 2, updated: 2, ready: 1), Reachable, _clock);
        var since = Condition(first, ConsoleProxyConditions.Ready).LastTransitionTime;

        _clock.Advance(TimeSpan.FromMinutes(3));
        var stillWaiting = ConsoleProxyStatusBuilder.Reconciled(proxy with { Status = first }, Deployment(desired: 2, current: 2, updated: 2, ready: 1, available: 1), Reachable, _clock);
        Assert.Equal(since, Condition(stillWaiting, ConsoleProxyConditions.Ready).LastTransitionTime);

        _clock.Advance(TimeSpan.FromMinutes(3));
        var ready = ConsoleProxyStatusBuilder.Reconciled(proxy with { Status = stillWaiting }, Deployment(desired: 2, current: 2, updated: 2, ready: 2), Reachable, _clock);
        Assert.Equal(_clock.GetUtcNow(), Condition(ready, ConsoleProxyConditions.Ready).LastTransitionTime);
    }

    [Fact]
    public void An_invalid_spec_keeps_the_last_token_store_finding_and_lists_every_problem()
    {
        var proxy = SampleProxies.Managed();
        var reconciled = ConsoleProxyStatusBuilder.Reconciled(proxy, Deployment(desired: 2, current: 2, updated: 2, ready: 2), Reachable, _clock);

        var status = ConsoleProxyStatusBuilder.Invalid(
            proxy with { Status = reconciled },
            [new("spec.publicURL", "not a URL"), new("spec.tokens.allowedTargets[1]", "bad CIDR")],
            null,
            _clock);

        var degraded = Condition(status, ConsoleProxyConditions.Degraded);
        Assert.Equal("fix the spec: spec.publicURL: not a URL; spec.tokens.allowedTargets[1]: bad CIDR", degraded.Message);
        Assert.Equal(ConsoleProxyReasons.Reachable, Condition(status, ConsoleProxyConditions.TokenStoreReady).Reason);
        Assert.Equal((0, 0), (status.Replicas, status.ReadyReplicas));
    }

    private static V1Condition Condition(ConsoleProxyStatus status, string type) =>
        StatusConditions.Find(status.Conditions, type) ?? throw new InvalidOperationException($"no {type} condition");

    private static V1Deployment Deployment(int desired, int current, int updated, int ready, int? available = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "console-proxy", NamespaceProperty = "consoles", Generation = 1 },
        Spec = new V1DeploymentSpec { Replicas = desired },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1,
            Replicas = current,
            UpdatedReplicas = updated,
            ReadyReplicas = ready,
            AvailableReplicas = available ?? ready,
        },
    };
}
