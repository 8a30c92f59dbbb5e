using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Builders.TokenStore;
using k8s.Models;

namespace ConsoleOperator.Tests.Builders;

public sealed class ProxyObjectsTests
{
    private static readonly string[] Applications = ["consoleproxy", "redis"];

    private static readonly string[] Roles = ["proxy", "token-store"];

    private static ConsoleProxyObjects Build(ConsoleProxyResource proxy) =>
        ConsoleProxyObjects.Build(proxy, SampleProxies.Defaults, RedisPassword.Generate());

    [Fact]
    public void A_managed_proxy_gets_every_object_in_apply_order()
    {
        var kinds = Build(SampleProxies.Managed()).All().Select(item => $"{item.Kind}/{item.Metadata.Name}");

        Assert.Equal(
            [
                "ServiceAccount/console-proxy", "ConfigMap/console-proxy", "Secret/console-redis-auth", "Service/console-redis",
                "Deployment/console-redis", "Deployment/console-proxy", "Service/console-proxy", "PodDisruptionBudget/console-proxy",
                "NetworkPolicy/console-proxy",
            ],
            kinds);
    }

    [Fact]
    public void An_external_store_and_autoscaling_change_exactly_the_optional_objects()
    {
        var proxy = SampleProxies.External();
        proxy = SampleProxies.With(proxy, proxy.Spec with { Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 6 } });

        var objects = Build(proxy);

        Assert.Null(objects.RedisDeployment);
        Assert.Null(objects.RedisService);
        Assert.Null(objects.RedisPasswordSecret);
        Assert.NotNull(objects.Autoscaler);
        Assert.Equal(7, objects.All().Count);
    }

    [Fact]
    public void Every_object_is_labelled_owned_by_the_proxy_and_in_its_namespace()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with { Autoscaling = new AutoscalingSpec { MaxReplicas = 4 } });

        Assert.All(Build(proxy).All(), item =>
        {
            Assert.Equal("consoles", item.Metadata.NamespaceProperty);
            Assert.StartsWith("console-", item.Metadata.Name, StringComparison.Ordinal);
            var labels = item.Metadata.Labels!;
            Assert.Equal("console", labels["app.kubernetes.io/instance"]);
            Assert.Equal("console-operator", labels["app.kubernetes.io/managed-by"]);
            Assert.Equal("consoleoperator", labels["app.kubernetes.io/part-of"]);
            Assert.Contains(labels["app.kubernetes.io/name"], Applications);
            Assert.Contains(labels["app.kubernetes.io/component"], Roles);
            var owner = Assert.Single(item.Metadata.OwnerReferences!);
            Assert.Equal("consoleoperator.dev/v1alpha1", owner.ApiVersion);
            Assert.Equal("ConsoleProxy", owner.Kind);
            Assert.Equal("console", owner.Name);
            Assert.Equal(SampleProxies.Uid, owner.Uid);
            Assert.True(owner.Controller);
            Assert.True(owner.BlockOwnerDeletion);
        });
    }

    [Fact]
    public void The_service_exposes_the_spec_port_and_type_and_carries_its_annotations()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with
        {
            Service = new ProxyServiceSpec { Type = ServiceType.LoadBalancer, Port = 443, Annotations = new() { ["lb.example/type"] = "nlb" } },
        });

        V1Service service = Build(proxy).ProxyService;

        Assert.Equal("LoadBalancer", service.Spec!.Type);
        var port = Assert.Single(service.Spec.Ports!);
        Assert.Equal(443, port.Port);
        Assert.Equal("http", port.TargetPort!.Value);
        Assert.Null(service.Spec.ClusterIP);
        Assert.Equal("nlb", service.Metadata.Annotations!["lb.example/type"]);
        Assert.Equal(Build(proxy).ProxyDeployment.Spec!.Selector!.MatchLabels, service.Spec.Selector);
    }

    [Fact]
    public void The_disruption_budget_keeps_min_available_proxy_pods()
    {
        var proxy = SampleProxies.Managed();
        V1PodDisruptionBudget defaulted = Build(proxy).DisruptionBudget;
        V1PodDisruptionBudget custom = Build(SampleProxies.With(proxy, proxy.Spec with { PodDisruptionBudget = new DisruptionBudgetSpec { MinAvailable = 2 } })).DisruptionBudget;

        Assert.Equal("1", defaulted.Spec!.MinAvailable!.Value);
        Assert.Equal("2", custom.Spec!.MinAvailable!.Value);
        Assert.Equal(Build(proxy).ProxyDeployment.Spec!.Selector!.MatchLabels, custom.Spec.Selector!.MatchLabels);
    }

    [Fact]
    public void The_autoscaler_scales_the_proxy_deployment_on_cpu()
    {
        var proxy = SampleProxies.Managed();
        V2HorizontalPodAutoscaler hpa = ProxyAutoscalerBuilder.Build(SampleProxies.With(proxy, proxy.Spec with
        {
            Autoscaling = new AutoscalingSpec { MinReplicas = 3, MaxReplicas = 12, TargetCPUUtilizationPercentage = 55 },
        }))!;

        Assert.Equal("Deployment", hpa.Spec!.ScaleTargetRef!.Kind);
        Assert.Equal("console-proxy", hpa.Spec.ScaleTargetRef.Name);
        Assert.Equal("apps/v1", hpa.Spec.ScaleTargetRef.ApiVersion);
        Assert.Equal(3, hpa.Spec.MinReplicas);
        Assert.Equal(12, hpa.Spec.MaxReplicas);
        var metric = Assert.Single(hpa.Spec.Metrics!);
        Assert.Equal("cpu", metric.Resource!.Name);
        Assert.Equal(55, metric.Resource.Target.AverageUtilization);
        Assert.Null(ProxyAutoscalerBuilder.Build(proxy));
    }

    [Fact]
    public void The_service_account_mounts_no_token()
    {
        Assert.False(Build(SampleProxies.Managed()).ServiceAccount.AutomountServiceAccountToken);
    }

    [Fact]
    public void Building_needs_the_owner_s_uid()
    {
        var proxy = SampleProxies.Managed();
        proxy.Metadata.Uid = null;

        Assert.Throws<ArgumentException>(() => Build(proxy));
    }

    [Fact]
    public void The_network_policy_and_the_deployment_agree_on_the_proxy_port()
    {
        var objects = Build(SampleProxies.Managed());
        V1NetworkPolicy policy = objects.NetworkPolicy;

        Assert.Equal($"{ProxyPod.ContainerPort}", Assert.Single(Assert.Single(policy.Spec!.Ingress!).Ports!).Port!.Value);
        Assert.Equal(ProxyPod.ContainerPort, Assert.Single(Assert.Single(objects.ProxyDeployment.Spec!.Template!.Spec!.Containers!).Ports!).ContainerPort);
    }
}
