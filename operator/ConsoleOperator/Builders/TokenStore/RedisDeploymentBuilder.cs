using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.Pods;
using ConsoleOperator.Builders.Security;
using k8s.Models;

namespace ConsoleOperator.Builders.TokenStore;

/// <summary>
/// The managed token store: one Redis pod with a password, no persistence, hardened like the proxy. Recreate, not
/// RollingUpdate: two Redis pods behind one Service, one of them empty, would make tokens valid on some
/// connections and unknown on others.
/// </summary>
public static class RedisDeploymentBuilder
{
    /// <summary>The Deployment, or null when the ConsoleProxy uses an external token store.</summary>
    public static V1Deployment? Build(ConsoleProxyResource proxy, OperatorDefaults defaults)
    {
        if (proxy.Spec.TokenStore.Managed is not { } managed)
        {
            return null;
        }

        var names = ConsoleProxyNames.For(proxy);
        var password = new V1EnvVarSource
        {
            SecretKeyRef = new V1SecretKeySelector { Name = names.RedisAuthSecret, Key = TokenStoreEndpoint.ManagedPasswordKey },
        };
        return new V1Deployment
        {
            Metadata = OwnedObjectMetadata.Create(proxy, names.Redis, Component.TokenStore),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = ObjectLabels.Selector(names.ProxyName, Component.TokenStore) },
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                RevisionHistoryLimit = 3,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = ObjectLabels.For(names.ProxyName, Component.TokenStore) },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = RestrictedSecurity.Pod(RedisPod.UserId),
                        TerminationGracePeriodSeconds = 10,
                        // The proxy's node constraints usually say where this workload may run at all (tainted infra nodes, zones).
                        NodeSelector = PodScheduling.NodeSelector(proxy.Spec.NodeSelector),
                        Tolerations = PodScheduling.Tolerations(proxy.Spec.Tolerations),
                        Volumes = [new V1Volume { Name = RedisPod.DataVolumeName, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = "256Mi" } }],
                        Containers =
                        [
                            new V1Container
                            {
                                Name = RedisPod.ContainerName,
                                Image = managed.Image ?? defaults.RedisImage,
                                Command = ["sh", "-c", RedisPod.StartScript],
                                Ports = [new V1ContainerPort { Name = RedisPort.Name, ContainerPort = RedisPort.Number, Protocol = "TCP" }],
                                Env =
                                [
                                    new V1EnvVar { Name = RedisPod.PasswordVariable, ValueFrom = password },
                                    new V1EnvVar { Name = RedisPod.CliPasswordVariable, ValueFrom = password },
                                ],
                                Resources = ContainerResources.Redis.For(managed.Resources),
                                VolumeMounts = [new V1VolumeMount { Name = RedisPod.DataVolumeName, MountPath = RedisPod.DataPath }],
                                ReadinessProbe = new V1Probe
                                {
                                    Exec = new V1ExecAction { Command = ["sh", "-c", RedisPod.ReadinessScript] },
                                    PeriodSeconds = 5,
                                    TimeoutSeconds = 2,
                                    FailureThreshold = 3,
                                },
                                LivenessProbe = new V1Probe
                                {
                                    TcpSocket = new V1TCPSocketAction { Port = RedisPort.Name },
                                    InitialDelaySeconds = 5,
                                    PeriodSeconds = 10,
                                    TimeoutSeconds = 2,
                                    FailureThreshold = 3,
                                },
                                SecurityContext = RestrictedSecurity.Container(),
                            },
                        ],
                    },
                },
            },
        };
    }
}
