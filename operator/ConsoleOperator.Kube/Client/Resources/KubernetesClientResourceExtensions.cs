using ConsoleOperator.Kube.Client.Entities;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>Typed resource clients for the built-in kinds, so callers never pair a descriptor with the wrong model.</summary>
public static class KubernetesClientResourceExtensions
{
    public static ResourceClient<V1ConfigMap> ConfigMaps(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.ConfigMap, EntityJson.TypeInfo<V1ConfigMap>(), @namespace);

    public static ResourceClient<V1Secret> Secrets(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>(), @namespace);

    public static ResourceClient<V1Service> Services(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Service, EntityJson.TypeInfo<V1Service>(), @namespace);

    public static ResourceClient<V1ServiceAccount> ServiceAccounts(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.ServiceAccount, EntityJson.TypeInfo<V1ServiceAccount>(), @namespace);

    public static ResourceClient<V1Namespace> Namespaces(this KubernetesClient client) =>
        client.Resource(KnownResources.Namespace, EntityJson.TypeInfo<V1Namespace>());

    public static ResourceClient<V1Deployment> Deployments(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), @namespace);

    public static ResourceClient<V1PodDisruptionBudget> PodDisruptionBudgets(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.PodDisruptionBudget, EntityJson.TypeInfo<V1PodDisruptionBudget>(), @namespace);

    public static ResourceClient<V2HorizontalPodAutoscaler> HorizontalPodAutoscalers(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.HorizontalPodAutoscaler, EntityJson.TypeInfo<V2HorizontalPodAutoscaler>(), @namespace);

    public static ResourceClient<V1NetworkPolicy> NetworkPolicies(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.NetworkPolicy, EntityJson.TypeInfo<V1NetworkPolicy>(), @namespace);

    public static ResourceClient<Eventsv1Event> Events(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>(), @namespace);

    public static ResourceClient<V1CustomResourceDefinition> CustomResourceDefinitions(this KubernetesClient client) =>
        client.Resource(KnownResources.CustomResourceDefinition, EntityJson.TypeInfo<V1CustomResourceDefinition>());

    /// <summary>Any resource as generic objects (spec/status kept as JSON), e.g. a custom resource without a model here.</summary>
    public static ResourceClient<UntypedObject> Generic(this KubernetesClient client, ResourceDescriptor descriptor, string? @namespace) =>
        client.Resource(descriptor, EntityJson.TypeInfo<UntypedObject>(), @namespace);
}
