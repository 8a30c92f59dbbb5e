namespace ConsoleOperator.Kube.Client.Resources;

/// <summary>The built-in resources the operator works with: URL paths come from here, never from discovery.</summary>
public static class KnownResources
{
    public static readonly ResourceDescriptor ConfigMap = new("", "v1", "configmaps", "ConfigMap", Namespaced: true);

    public static readonly ResourceDescriptor Secret = new("", "v1", "secrets", "Secret", Namespaced: true);

    public static readonly ResourceDescriptor Service = new("", "v1", "services", "Service", Namespaced: true);

    public static readonly ResourceDescriptor ServiceAccount = new("", "v1", "serviceaccounts", "ServiceAccount", Namespaced: true);

    public static readonly ResourceDescriptor Namespace = new("", "v1", "namespaces", "Namespace", Namespaced: false);

    public static readonly ResourceDescriptor Deployment = new("apps", "v1", "deployments", "Deployment", Namespaced: true);

    public static readonly ResourceDescriptor PodDisruptionBudget = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", Namespaced: true);

    public static readonly ResourceDescriptor HorizontalPodAutoscaler = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", Namespaced: true);

    public static readonly ResourceDescriptor NetworkPolicy = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", Namespaced: true);

    public static readonly ResourceDescriptor Lease = new("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true);

    public static readonly ResourceDescriptor Event = new("events.k8s.io", "v1", "events", "Event", Namespaced: true);

    public static readonly ResourceDescriptor CustomResourceDefinition = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false);

    public static IReadOnlyList<ResourceDescriptor> All { get; } =
    [
        ConfigMap, Secret, Service, ServiceAccount, Namespace, Deployment, PodDisruptionBudget,
        HorizontalPodAutoscaler, NetworkPolicy, Lease, Event, CustomResourceDefinition,
    ];

    /// <summary>The descriptor of a built-in kind by apiVersion and kind, or null when it is not in the table.</summary>
    public static ResourceDescriptor? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(d => d.ApiVersion == apiVersion && d.Kind == kind);
}
