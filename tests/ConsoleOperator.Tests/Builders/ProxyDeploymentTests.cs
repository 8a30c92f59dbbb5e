using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Proxy;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleProxy.Tokens.Settings;
using k8s.Models;

namespace ConsoleOperator.Tests.Builders;

public sealed class ProxyDeploymentTests
{
    private static V1Deployment Build(ConsoleProxyResource proxy) => SampleProxies.Deployment(proxy, SampleProxies.Defaults);

    private static V1Container ProxyContainer(V1Deployment deployment) => Assert.Single(deployment.Spec!.Template!.Spec!.Containers!);

    private static string ConfigHashOf(V1Deployment deployment) => deployment.Spec!.Template!.Metadata!.Annotations![ConfigHash.AnnotationName];

    private static ConsoleProxyResource WithSpec(Func<ConsoleProxySpec, ConsoleProxySpec> change)
    {
        var proxy = SampleProxies.Managed();
        return SampleProxies.With(proxy, change(proxy.Spec));
    }

    [Fact]
    public void Runs_consoleproxy_serve_configured_only_by_the_config_map_and_the_password_secret()
    {
        var container = ProxyContainer(Build(SampleProxies.Managed()));

        Assert.Null(container.Command);
        Assert.Equal(["serve"], container.Args);
        var envFrom = Assert.Single(container.EnvFrom!);
        Assert.Equal("console-proxy", envFrom.ConfigMapRef!.Name);
        Assert.Null(envFrom.SecretRef);
        var password = Assert.Single(container.Env!);
        Assert.Equal(ProxySettingsContract.RedisPassword.EnvironmentVariable, password.Name);
        Assert.Null(password.Value);
        Assert.Equal("console-redis-auth", password.ValueFrom!.SecretKeyRef!.Name);
        Assert.Equal("password", password.ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void An_external_store_password_comes_from_the_secret_the_spec_names()
    {
        var container = ProxyContainer(Build(SampleProxies.External(password: new SecretKeyReference { Name = "corp-redis", Key = "pw" })));

        var password = Assert.Single(container.Env!);
        Assert.Equal("corp-redis", password.ValueFrom!.SecretKeyRef!.Name);
        Assert.Equal("pw", password.ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void An_external_store_without_a_password_gets_no_password_variable()
    {
        var proxy = SampleProxies.External();
        proxy = SampleProxies.With(proxy, proxy.Spec with { TokenStore = new TokenStoreSpec { External = proxy.Spec.TokenStore.External! with { PasswordSecretRef = null } } });

        Assert.Null(ProxyContainer(Build(proxy)).Env);
    }

    [Fact]
    public void Probes_use_readyz_and_healthz_on_the_proxy_port()
    {
        var container = ProxyContainer(Build(SampleProxies.Managed()));

        Assert.Equal("/readyz", container.ReadinessProbe!.HttpGet!.Path);
        Assert.Equal("/healthz", container.LivenessProbe!.HttpGet!.Path);
        Assert.Equal("http", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal("HTTP", container.ReadinessProbe.HttpGet.Scheme);
        Assert.Equal(6080, Assert.Single(container.Ports!).ContainerPort);
    }

    [Fact]
    public void With_tls_the_secret_is_mounted_read_only_and_probes_speak_https()
    {
        var deployment = Build(WithSpec(spec => spec with { Tls = new ProxyTlsSpec { SecretName = "console-tls" } }));
        var container = ProxyContainer(deployment);

        var volume = Assert.Single(deployment.Spec!.Template!.Spec!.Volumes!, v => v.Secret is not null);
        Assert.Equal("console-tls", volume.Secret!.SecretName);
        var mount = Assert.Single(container.VolumeMounts!, m => m.Name == volume.Name);
        Assert.Equal("/etc/consoleproxy/tls", mount.MountPath);
        Assert.True(mount.ReadOnlyProperty);
        Assert.Equal("HTTPS", container.ReadinessProbe!.HttpGet!.Scheme);
        Assert.Equal("HTTPS", container.LivenessProbe!.HttpGet!.Scheme);
    }

    [Fact]
    public void Shutdown_waits_for_endpoint_removal_then_gives_the_drain_its_full_time()
    {
        var deployment = Build(SampleProxies.Managed());
        var pod = deployment.Spec!.Template!.Spec!;
        var lifecycle = JsonSerializer.SerializeToNode(ProxyContainer(deployment).Lifecycle, EntityJson.Options)!;

        Assert.Equal(["sleep", "5"], lifecycle["preStop"]!["exec"]!["command"]!.AsArray().Select(n => n!.GetValue<string>()));
        var drain = long.Parse(SampleProxies.Configuration(SampleProxies.Managed())[ProxySettingsContract.DrainTimeout.EnvironmentVariable], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(pod.TerminationGracePeriodSeconds > 5 + drain, $"grace {pod.TerminationGracePeriodSeconds}s must exceed preStop 5s + drain {drain}s");
    }

    [Fact]
    public void Rolling_updates_never_drop_below_the_desired_count()
    {
        var strategy = Build(SampleProxies.Managed()).Spec!.Strategy!;

        Assert.Equal("RollingUpdate", strategy.Type);
        Assert.Equal("0", strategy.RollingUpdate!.MaxUnavailable!.Value);
        Assert.Equal("1", strategy.RollingUpdate.MaxSurge!.Value);
    }

    [Fact]
    public void Pods_are_hardened_and_carry_no_service_account_token()
    {
        var pod = Build(SampleProxies.Managed()).Spec!.Template!.Spec!;
        var security = ProxyContainer(Build(SampleProxies.Managed())).SecurityContext!;

        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Equal("console-proxy", pod.ServiceAccountName);
        Assert.True(pod.SecurityContext!.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile!.Type);
        Assert.False(pod.EnableServiceLinks);
        Assert.True(security.RunAsNonRoot);
        Assert.True(security.ReadOnlyRootFilesystem);
        Assert.False(security.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], security.Capabilities!.Drop);
        Assert.Equal("RuntimeDefault", security.SeccompProfile!.Type);
    }

    [Fact]
    public void Resource_requests_default_when_unset_and_follow_the_spec_when_set()
    {
        var defaults = ProxyContainer(Build(SampleProxies.Managed())).Resources!;
        var custom = ProxyContainer(Build(WithSpec(spec => spec with
        {
            Resources = new ComputeResources { Requests = new() { ["cpu"] = new Quantity("200m") } },
        }))).Resources!;

        Assert.Equal("50m", defaults.Requests!["cpu"]);
        Assert.Equal("64Mi", defaults.Requests["memory"]);
        Assert.Equal(new Dictionary<string, string> { ["cpu"] = "200m" }, custom.Requests!.ToDictionary(entry => entry.Key, entry => entry.Value.ToString()));
        Assert.Null(custom.Limits);
    }

    [Fact]
    public void The_image_defaults_to_the_operator_s_proxy_image()
    {
        Assert.Equal("registry.example/consoleproxy:9.9.9", ProxyContainer(Build(SampleProxies.Managed())).Image);
        Assert.Equal("mirror/proxy:1", ProxyContainer(Build(WithSpec(spec => spec with { Image = "mirror/proxy:1" }))).Image);
    }

    [Fact]
    public void A_configuration_change_changes_the_config_hash()
    {
        var before = ConfigHashOf(Build(SampleProxies.Managed()));

        Assert.NotEqual(before, ConfigHashOf(Build(WithSpec(spec => spec with { Tokens = spec.Tokens with { AllowedTargets = ["10.21.0.0/16:5900-5999"] } }))));
        Assert.NotEqual(before, ConfigHashOf(Build(WithSpec(spec => spec with { Sessions = new SessionPolicySpec { EnforceExpiry = true } }))));
        Assert.NotEqual(before, ConfigHashOf(Build(WithSpec(spec => spec with { AllowedOrigins = ["https://portal.example.com"] }))));
        Assert.NotEqual(before, ConfigHashOf(Build(WithSpec(spec => spec with { Tls = new ProxyTlsSpec { SecretName = "a" } }))));
        Assert.NotEqual(
            ConfigHashOf(Build(WithSpec(spec => spec with { Tls = new ProxyTlsSpec { SecretName = "a" } }))),
            ConfigHashOf(Build(WithSpec(spec => spec with { Tls = new ProxyTlsSpec { SecretName = "b" } }))));
    }

    [Fact]
    public void Changes_that_are_not_configuration_leave_the_config_hash_and_the_pod_template_alone()
    {
        var before = Build(SampleProxies.Managed());
        var after = Build(WithSpec(spec => spec with
        {
            Replicas = 7,
            PodDisruptionBudget = new DisruptionBudgetSpec { MinAvailable = 3 },
            Service = new ProxyServiceSpec { Type = ServiceType.LoadBalancer, Port = 443 },
            PublicUrl = "https://other.example.com",
        }));

        Assert.Equal(ConfigHashOf(before), ConfigHashOf(after));
        Assert.Equal(Json(before.Spec!.Template!), Json(after.Spec!.Template!));
        Assert.Equal(7, after.Spec.Replicas);
    }

    [Fact]
    public void The_config_hash_is_the_same_for_the_same_configuration()
    {
        Assert.Equal(ConfigHashOf(Build(SampleProxies.Managed())), ConfigHashOf(Build(SampleProxies.Managed())));
        Assert.NotEqual(ConfigHash.Compute(new Dictionary<string, string> { ["a"] = "b:c" }, null), ConfigHash.Compute(new Dictionary<string, string> { ["a:b"] = "c" }, null));
    }

    [Fact]
    public void With_an_autoscaler_the_deployment_leaves_replicas_to_it()
    {
        var deployment = Build(WithSpec(spec => spec with { Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 5 } }));

        Assert.Null(deployment.Spec!.Replicas);
        Assert.Equal(2, Build(SampleProxies.Managed()).Spec!.Replicas);
    }

    [Fact]
    public void By_default_proxy_pods_prefer_different_nodes()
    {
        var affinity = JsonSerializer.SerializeToNode(Build(SampleProxies.Managed()).Spec!.Template!.Spec!.Affinity, EntityJson.Options)!;
        var term = affinity["podAntiAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!;

        Assert.Equal("kubernetes.io/hostname", term["podAffinityTerm"]!["topologyKey"]!.GetValue<string>());
        Assert.Equal("console", term["podAffinityTerm"]!["labelSelector"]!["matchLabels"]!["app.kubernetes.io/instance"]!.GetValue<string>());
    }

    [Fact]
    public void A_spec_affinity_node_selector_and_tolerations_replace_the_defaults()
    {
        var affinity = new JsonObject { ["nodeAffinity"] = new JsonObject { ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject { ["nodeSelectorTerms"] = new JsonArray() } } };
        var pod = Build(WithSpec(spec => spec with
        {
            Affinity = affinity,
            NodeSelector = new() { ["node-role"] = "edge" },
            Tolerations = [new ConsoleOperator.Api.Common.Toleration { Key = "edge", Operator = "Exists", Effect = "NoSchedule" }],
        })).Spec!.Template!.Spec!;

        Assert.True(JsonNode.DeepEquals(affinity, JsonSerializer.SerializeToNode(pod.Affinity, EntityJson.Options)));
        Assert.Equal("edge", pod.NodeSelector!["node-role"]);
        Assert.Equal("edge", Assert.Single(pod.Tolerations!).Key);
    }

    [Fact]
    public void The_selector_is_the_pod_labels_without_the_mutable_ones()
    {
        var deployment = Build(SampleProxies.Managed());
        var selector = deployment.Spec!.Selector!.MatchLabels!;

        Assert.All(selector, label => Assert.Equal(label.Value, deployment.Spec.Template!.Metadata!.Labels![label.Key]));
        Assert.Equal(["app.kubernetes.io/component", "app.kubernetes.io/instance", "app.kubernetes.io/name"], selector.Keys.Order(StringComparer.Ordinal));
    }

    private static string Json(V1PodTemplateSpec template) =>
        JsonSerializer.Serialize(template, EntityJson.Options);
}
