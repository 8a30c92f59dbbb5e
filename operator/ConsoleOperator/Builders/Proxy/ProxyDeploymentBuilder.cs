using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.Pods;
using ConsoleOperator.Builders.Security;
using ConsoleOperator.Builders.TokenStore;
using ConsoleProxy.Tokens.Settings;
using k8s.Models;

namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// The proxy pods: `consoleproxy serve`, configured only through the ConfigMap's variables and the Redis password's
/// secretKeyRef; hardened (non-root, read-only root filesystem, no API token); rolled without ever dropping below
/// the desired count; and given time on shutdown to leave the load balancers and drain live sessions.
/// </summary>
public static class ProxyDeploymentBuilder
{
    /// <param name="proxy">The ConsoleProxy.</param>
    /// <param name="defaults">The operator's default images.</param>
    /// <param name="store">Its token store (the password's Secret, TLS files to mount).</param>
    /// <param name="settings">The settings the ConfigMap holds: a change rolls the pods.</param>
    public static V1Deployment Build(ConsoleProxyResource proxy, OperatorDefaults defaults, TokenStoreEndpoint store, ProxySettings settings)
    {
        var spec = proxy.Spec;
        var names = ConsoleProxyNames.For(proxy);
        var selector = ObjectLabels.Selector(names.ProxyName, Component.Proxy);
        var configHash = ConfigHash.Compute(settings.ToEnvironment(), spec.Tls?.SecretName);

        return new V1Deployment
        {
            Metadata = OwnedObjectMetadata.Create(proxy, names.Proxy, Component.Proxy),
            Spec = new V1DeploymentSpec
            {
                // With an autoscaler the replica count is its to set; applying ours would fight it on every reconcile.
                Replicas = spec.Autoscaling is null ? spec.Replicas : null,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = 1 },
                },
                RevisionHistoryLimit = 5,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = ObjectLabels.For(names.ProxyName, Component.Proxy),
                        Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [ConfigHash.AnnotationName] = configHash },
                    },
                    Spec = PodSpec(proxy, defaults, names, store),
                },
            },
        };
    }

    private static V1PodSpec PodSpec(ConsoleProxyResource proxy, OperatorDefaults defaults, ConsoleProxyNames names, TokenStoreEndpoint store)
    {
        var spec = proxy.Spec;
        var volumes = new List<V1Volume>
        {
            // .NET writes its diagnostics socket and temporary files under /tmp; the root filesystem is read-only.
            new() { Name = ProxyPod.TmpVolumeName, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = "64Mi" } },
        };
        var mounts = new List<V1VolumeMount> { new() { Name = ProxyPod.TmpVolumeName, MountPath = "/tmp" } };
        if (spec.Tls is { } tls)
        {
            volumes.Add(new V1Volume { Name = ProxyPod.TlsVolumeName, Secret = new V1SecretVolumeSource { SecretName = tls.SecretName, DefaultMode = 288 } });
            mounts.Add(new V1VolumeMount { Name = ProxyPod.TlsVolumeName, MountPath = ProxyPod.TlsMountPath, ReadOnlyProperty = true });
        }

        if (spec.TargetSecurity is { } security)
        {
            if (security.TlsSecretName is { } targetTls)
            {
                // Mounted whole (no subPath), so the kubelet's renewals reach the running pods' files.
                volumes.Add(new V1Volume { Name = ProxyPod.TargetTlsVolumeName, Secret = new V1SecretVolumeSource { SecretName = targetTls, DefaultMode = 288 } });
                mounts.Add(new V1VolumeMount { Name = ProxyPod.TargetTlsVolumeName, MountPath = ProxyPod.TargetTlsMountPath, ReadOnlyProperty = true });
            }

            volumes.Add(new V1Volume { Name = ProxyPod.VncPasswordKeyVolumeName, Secret = new V1SecretVolumeSource { SecretName = names.VncPasswordKeySecret, DefaultMode = 288 } });
            mounts.Add(new V1VolumeMount { Name = ProxyPod.VncPasswordKeyVolumeName, MountPath = ProxyPod.VncPasswordKeyMountPath, ReadOnlyProperty = true });
        }

        if (store.CaSecret is { } ca)
        {
            volumes.Add(new V1Volume
            {
                Name = ProxyPod.RedisCaVolumeName,
                Secret = new V1SecretVolumeSource { SecretName = ca.Name, DefaultMode = 288, Items = [new V1KeyToPath { Key = ca.Key, Path = Path.GetFileName(ProxyPod.RedisCaFile) }] },
            });
            mounts.Add(new V1VolumeMount { Name = ProxyPod.RedisCaVolumeName, MountPath = ProxyPod.RedisCaMountPath, ReadOnlyProperty = true });
        }

        if (store.ClientCertificateSecret is { } client)
        {
            volumes.Add(new V1Volume { Name = ProxyPod.RedisClientVolumeName, Secret = new V1SecretVolumeSource { SecretName = client, DefaultMode = 288 } });
            mounts.Add(new V1VolumeMount { Name = ProxyPod.RedisClientVolumeName, MountPath = ProxyPod.RedisClientMountPath, ReadOnlyProperty = true });
        }

        var scheme = spec.Tls is null ? "HTTP" : "HTTPS";
        return new V1PodSpec
        {
            ServiceAccountName = names.Proxy,
            AutomountServiceAccountToken = false,
            // Service links would inject variables named after every Service in the namespace; one called
            // "consoleproxy" would become CONSOLEPROXY_PORT=tcp://... and clash with the proxy's own options.
            EnableServiceLinks = false,
            SecurityContext = RestrictedSecurity.Pod(ProxyPod.UserId),
            TerminationGracePeriodSeconds = (long)ProxyPod.TerminationGracePeriod.TotalSeconds,
            NodeSelector = PodScheduling.NodeSelector(spec.NodeSelector),
            Tolerations = PodScheduling.Tolerations(spec.Tolerations),
            Affinity = PodScheduling.Affinity(spec.Affinity, names.ProxyName, Component.Proxy),
            Volumes = volumes,
            Containers =
            [
                new V1Container
                {
                    Name = ProxyPod.ContainerName,
                    Image = spec.Image ?? defaults.ProxyImage,
                    Args = ["serve"],
                    Ports = [new V1ContainerPort { Name = ProxyPod.PortName, ContainerPort = ProxyPod.ContainerPort, Protocol = "TCP" }],
                    EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = names.Proxy } }],
                    Env = PasswordEnvironment(store),
                    Resources = ContainerResources.Proxy.For(spec.Resources),
                    VolumeMounts = mounts,
                    ReadinessProbe = new V1Probe
                    {
                        HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = ProxyPod.PortName, Scheme = scheme },
                        PeriodSeconds = 5,
                        TimeoutSeconds = 2,
                        FailureThreshold = 2,
                    },
                    LivenessProbe = new V1Probe
                    {
                        HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = ProxyPod.PortName, Scheme = scheme },
                        InitialDelaySeconds = 5,
                        PeriodSeconds = 10,
                        TimeoutSeconds = 2,
                        FailureThreshold = 3,
                    },
                    Lifecycle = ContainerLifecycle.SleepBeforeStop(ProxyPod.PreStopDelay),
                    SecurityContext = RestrictedSecurity.Container(),
                },
            ],
        };
    }

    /// <summary>The password and the ACL user come from their Secret through secretKeyRefs, never the ConfigMap.</summary>
    private static List<V1EnvVar>? PasswordEnvironment(TokenStoreEndpoint store)
    {
        var variables = new List<V1EnvVar>();
        if (store.PasswordSecret is { } password)
        {
            variables.Add(FromSecret(ProxySettingsContract.RedisPassword.EnvironmentVariable, password));
        }

        if (store.UsernameSecret is { } user)
        {
            variables.Add(FromSecret(ProxySettingsContract.RedisUser.EnvironmentVariable, user));
        }

        return variables.Count == 0 ? null : variables;
    }

    private static V1EnvVar FromSecret(string name, Api.Common.SecretKeyReference secret) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret.Name, Key = secret.Key } },
    };
}
