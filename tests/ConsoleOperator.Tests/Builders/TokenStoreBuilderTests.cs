using System.Text;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;
using k8s.Models;

namespace ConsoleOperator.Tests.Builders;

public sealed class TokenStoreBuilderTests
{
    private static V1Container RedisContainer(ConsoleProxyResource proxy) =>
        Assert.Single(RedisDeploymentBuilder.Build(proxy, SampleProxies.Defaults)!.Spec!.Template!.Spec!.Containers!);

    [Fact]
    public void A_kept_password_is_written_unchanged()
    {
        var secret = RedisPasswordSecretBuilder.Build(SampleProxies.Managed(), RedisPassword.Existing("s3cret-from-the-cluster"))!;

        Assert.Equal("console-redis-auth", secret.Metadata.Name);
        Assert.Equal("s3cret-from-the-cluster", Encoding.UTF8.GetString(secret.Data!["password"]));
        Assert.Null(secret.StringData);
    }

    [Fact]
    public void The_password_read_back_from_the_cluster_is_the_one_kept()
    {
        var existing = RedisPasswordSecretBuilder.Build(SampleProxies.Managed(), RedisPassword.Generate())!;

        var kept = RedisPassword.KeepOrGenerate(RedisPasswordSecretBuilder.ReadPassword(existing));
        var rebuilt = RedisPasswordSecretBuilder.Build(SampleProxies.Managed(), kept)!;

        Assert.Equal(existing.Data, rebuilt.Data);
    }

    [Fact]
    public void Without_an_existing_password_a_new_random_one_is_generated()
    {
        var first = RedisPassword.KeepOrGenerate(null).Value!;
        var second = RedisPassword.KeepOrGenerate(string.Empty).Value!;

        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.NotEqual(first, second);
        Assert.Null(RedisPasswordSecretBuilder.ReadPassword(new V1Secret()));
        Assert.Null(RedisPasswordSecretBuilder.ReadPassword(new V1Secret { Data = new Dictionary<string, byte[]> { ["password"] = [] } }));
    }

    [Fact]
    public void A_withheld_password_renders_a_marked_secret_without_data()
    {
        var secret = RedisPasswordSecretBuilder.Build(SampleProxies.Managed(), RedisPassword.Withheld)!;

        Assert.Null(secret.Data);
        Assert.Null(secret.StringData);
        Assert.Contains(RedisPasswordSecretBuilder.WithheldAnnotation, secret.Metadata.Annotations!.Keys);
    }

    [Fact]
    public void The_password_never_shows_in_its_text_form()
    {
        Assert.DoesNotContain("hunter2", RedisPassword.Existing("hunter2").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_takes_its_password_from_the_secret_and_never_on_a_command_line()
    {
        var container = RedisContainer(SampleProxies.Managed());

        Assert.All(container.Env!, variable =>
        {
            Assert.Null(variable.Value);
            Assert.Equal("console-redis-auth", variable.ValueFrom!.SecretKeyRef!.Name);
        });
        Assert.Equal(["REDIS_PASSWORD", "REDISCLI_AUTH"], container.Env!.Select(variable => variable.Name));
        Assert.Contains("requirepass ${REDIS_PASSWORD}", container.Command![2], StringComparison.Ordinal);
        Assert.StartsWith("exec redis-server -", container.Command[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_runs_non_root_read_only_with_an_empty_dir_and_probes()
    {
        var deployment = RedisDeploymentBuilder.Build(SampleProxies.Managed(), SampleProxies.Defaults)!;
        var pod = deployment.Spec!.Template!.Spec!;
        var container = Assert.Single(pod.Containers!);

        Assert.Equal("console-redis", deployment.Metadata.Name);
        Assert.Equal("registry.example/redis:7", container.Image);
        Assert.Equal(999, pod.SecurityContext!.RunAsUser);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(container.SecurityContext!.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities!.Drop);
        Assert.NotNull(Assert.Single(pod.Volumes!).EmptyDir);
        Assert.NotNull(container.ReadinessProbe!.Exec);
        Assert.Equal("redis", container.LivenessProbe!.TcpSocket!.Port.Value);
        Assert.Equal("Recreate", deployment.Spec.Strategy!.Type);
        Assert.Equal(1, deployment.Spec.Replicas);
    }

    [Fact]
    public void The_managed_image_and_resources_follow_the_spec()
    {
        var proxy = SampleProxies.Managed();
        proxy = SampleProxies.With(proxy, proxy.Spec with
        {
            TokenStore = new TokenStoreSpec
            {
                Managed = new ManagedTokenStoreSpec { Image = "mirror/redis:7.4", Resources = new ComputeResources { Limits = new() { ["memory"] = new Quantity("1Gi") } } },
            },
        });

        var container = RedisContainer(proxy);

        Assert.Equal("mirror/redis:7.4", container.Image);
        Assert.Equal("1Gi", container.Resources!.Limits!["memory"]);
        Assert.Null(container.Resources.Requests);
    }

    [Fact]
    public void The_redis_service_selects_the_redis_pods()
    {
        var service = RedisServiceBuilder.Build(SampleProxies.Managed())!;
        var deployment = RedisDeploymentBuilder.Build(SampleProxies.Managed(), SampleProxies.Defaults)!;

        Assert.Equal("console-redis", service.Metadata.Name);
        Assert.Equal(deployment.Spec!.Selector!.MatchLabels, service.Spec!.Selector);
        Assert.Equal(6379, Assert.Single(service.Spec.Ports!).Port);
    }

    [Fact]
    public void An_external_store_gets_no_managed_objects()
    {
        var proxy = SampleProxies.External();

        Assert.Null(RedisDeploymentBuilder.Build(proxy, SampleProxies.Defaults));
        Assert.Null(RedisServiceBuilder.Build(proxy));
        Assert.Null(RedisPasswordSecretBuilder.Build(proxy, RedisPassword.Generate()));
    }

    [Fact]
    public void The_endpoint_is_the_same_for_the_proxy_pods_and_the_operator()
    {
        var managed = TokenStoreEndpoint.For(SampleProxies.Managed());
        var external = TokenStoreEndpoint.For(SampleProxies.External("10.30.0.15:6379", tls: true));

        Assert.Equal("console-redis.consoles.svc:6379", managed.Address);
        Assert.True(managed.IsManaged);
        Assert.Equal("console-redis-auth", managed.PasswordSecret!.Name);
        Assert.Equal("10.30.0.15:6379", external.Address);
        Assert.True(external.Tls);
        Assert.Equal("shared-redis", external.PasswordSecret!.Name);
        Assert.Equal(managed.KeyPrefix, external.KeyPrefix);
    }
}
