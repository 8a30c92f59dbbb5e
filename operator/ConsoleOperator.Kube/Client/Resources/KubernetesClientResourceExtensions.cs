using ConsoleOperator.Kube.Client.Models.ApiExtensions;
using ConsoleOperator.Kube.Client.Models.Apps;
using ConsoleOperator.Kube.Client.Models.Autoscaling;
using ConsoleOperator.Kube.Client.Models.Core;
using ConsoleOperator.Kube.Client.Models.Events;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Models.Networking;
using ConsoleOperator.Kube.Client.Models.Policy;
using ConsoleOperator.Kube.Client.Serialization;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>Typed resource clients for the built-in kinds, so callers never pair a descriptor with the wrong model.</summary>
public static class KubernetesClientResourceExtensions
{
    public static ResourceClient<ConfigMap> ConfigMaps(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.ConfigMap, KubernetesJsonContext.Default.ConfigMap, @namespace);

    public static ResourceClient<Secret> Secrets(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Secret, KubernetesJsonContext.Default.Secret, @namespace);

    public static ResourceClient<Service> Services(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Service, KubernetesJsonContext.Default.Service, @namespace);

    public static ResourceClient<ServiceAccount> ServiceAccounts(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.ServiceAccount, KubernetesJsonContext.Default.ServiceAccount, @namespace);

    public static ResourceClient<Namespace> Namespaces(this KubernetesClient client) =>
        client.Resource(KnownResources.Namespace, KubernetesJsonContext.Default.Namespace);

    public static ResourceClient<Deployment> Deployments(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Deployment, KubernetesJsonContext.Default.Deployment, @namespace);

    public static ResourceClient<PodDisruptionBudget> PodDisruptionBudgets(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.PodDisruptionBudget, KubernetesJsonContext.Default.PodDisruptionBudget, @namespace);

    public static ResourceClient<HorizontalPodAutoscaler> HorizontalPodAutoscalers(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.HorizontalPodAutoscaler, KubernetesJsonContext.Default.HorizontalPodAutoscaler, @namespace);

    public static ResourceClient<NetworkPolicy> NetworkPolicies(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.NetworkPolicy, KubernetesJsonContext.Default.NetworkPolicy, @namespace);

    public static ResourceClient<Event> Events(this KubernetesClient client, string? @namespace) =>
        client.Resource(KnownResources.Event, KubernetesJsonContext.Default.Event, @namespace);

    public static ResourceClient<CustomResourceDefinition> CustomResourceDefinitions(this KubernetesClient client) =>
        client.Resource(KnownResources.CustomResourceDefinition, KubernetesJsonContext.Default.CustomResourceDefinition);

    /// <summary>Any resource as generic objects (spec/status kept as JSON), e.g. a custom resource without a model here.</summary>
    public static ResourceClient<KubernetesObject> Generic(this KubernetesClient client, ResourceDescriptor descriptor, string? @namespace) =>
        client.Resource(descriptor, KubernetesJsonContext.Default.KubernetesObject, @namespace);
}
