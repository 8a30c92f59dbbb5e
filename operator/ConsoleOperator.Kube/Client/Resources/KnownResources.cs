using k8s.Models;

namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>The built-in resources the operator works with: URL paths come from here, never from discovery.</summary>
public static class KnownResources
{
    public static readonly ResourceDescriptor ConfigMap = ResourceDescriptor.ForEntity<V1ConfigMap>();

    public static readonly ResourceDescriptor Secret = ResourceDescriptor.ForEntity<V1Secret>();

    public static readonly ResourceDescriptor Service = ResourceDescriptor.ForEntity<V1Service>();

    public static readonly ResourceDescriptor ServiceAccount = ResourceDescriptor.ForEntity<V1ServiceAccount>();

    public static readonly ResourceDescriptor Namespace = ResourceDescriptor.ForEntity<V1Namespace>();

    public static readonly ResourceDescriptor Deployment = ResourceDescriptor.ForEntity<V1Deployment>();

    public static readonly ResourceDescriptor PodDisruptionBudget = ResourceDescriptor.ForEntity<V1PodDisruptionBudget>();

    public static readonly ResourceDescriptor HorizontalPodAutoscaler = ResourceDescriptor.ForEntity<V2HorizontalPodAutoscaler>();

    public static readonly ResourceDescriptor NetworkPolicy = ResourceDescriptor.ForEntity<V1NetworkPolicy>();

    public static readonly ResourceDescriptor Lease = ResourceDescriptor.ForEntity<V1Lease>();

    public static readonly ResourceDescriptor Event = ResourceDescriptor.ForEntity<Eventsv1Event>();

    public static readonly ResourceDescriptor CustomResourceDefinition = ResourceDescriptor.ForEntity<V1CustomResourceDefinition>();

    public static IReadOnlyList<ResourceDescriptor> All { get; } =
    [
        ConfigMap, Secret, Service, ServiceAccount, Namespace, Deployment, PodDisruptionBudget,
        HorizontalPodAutoscaler, NetworkPolicy, Lease, Event, CustomResourceDefinition,
    ];

    /// <summary>The descriptor of a built-in kind by apiVersion and kind, or null when it is not in the table.</summary>
    public static ResourceDescriptor? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(d => d.ApiVersion == apiVersion && d.Kind == kind);
}
