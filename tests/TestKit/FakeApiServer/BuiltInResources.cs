using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>The built-in resource types the operator uses, as kube-apiserver v1.28 serves them.</summary>
public static class BuiltInResources
{
    public static readonly ResourceDescriptor Namespaces = new("", "v1", "namespaces", "Namespace", namespaced: false, hasStatusSubresource: true) { TracksGeneration = false };

    public static readonly ResourceDescriptor ConfigMaps = new("", "v1", "configmaps", "ConfigMap", namespaced: true, hasStatusSubresource: false) { TracksGeneration = false };

    public static readonly ResourceDescriptor Secrets = new("", "v1", "secrets", "Secret", namespaced: true, hasStatusSubresource: false)
    {
        TracksGeneration = false,
        ExtraFieldSelectors = ["type"],
    };

    public static readonly ResourceDescriptor Services = new("", "v1", "services", "Service", namespaced: true, hasStatusSubresource: true) { TracksGeneration = false };

    public static readonly ResourceDescriptor ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", namespaced: true, hasStatusSubresource: false) { TracksGeneration = false };

    public static readonly ResourceDescriptor CoreEvents = new("", "v1", "events", "Event", namespaced: true, hasStatusSubresource: false)
    {
        TracksGeneration = false,
        TimeFields = ["firstTimestamp", "lastTimestamp"],
        ExtraFieldSelectors =
        [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        ],
    };

    public static readonly ResourceDescriptor Deployments = new("apps", "v1", "deployments", "Deployment", namespaced: true, hasStatusSubresource: true)
    {
        GenerationIncludesAnnotations = true,
        BookmarkBody = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = null,
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["creationTimestamp"] = null },
                    ["spec"] = new JsonObject { ["containers"] = null },
                },
                ["strategy"] = new JsonObject(),
            },
            ["status"] = new JsonObject(),
        },
    };

    public static readonly ResourceDescriptor PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", namespaced: true, hasStatusSubresource: true);

    public static readonly ResourceDescriptor HorizontalPodAutoscalers = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", namespaced: true, hasStatusSubresource: true) { TracksGeneration = false };

    public static readonly ResourceDescriptor NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", namespaced: true, hasStatusSubresource: false);

    public static readonly ResourceDescriptor Leases = new("coordination.k8s.io", "v1", "leases", "Lease", namespaced: true, hasStatusSubresource: false)
    {
        TracksGeneration = false,
        MicroTimeFields = ["spec.acquireTime", "spec.renewTime"],
    };

    public static readonly ResourceDescriptor Events = new("events.k8s.io", "v1", "events", "Event", namespaced: true, hasStatusSubresource: false)
    {
        TracksGeneration = false,
        MicroTimeFields = ["eventTime"],
        TimeFields = ["deprecatedFirstTimestamp", "deprecatedLastTimestamp"],
        ValidatesAsCoreType = true,
        ExtraFieldSelectors =
        [
            "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "regarding.apiVersion",
            "regarding.resourceVersion", "regarding.fieldPath", "reason", "reportingController", "type",
        ],
    };

    public static readonly ResourceDescriptor CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false, hasStatusSubresource: true);

    public static IReadOnlyList<ResourceDescriptor> All { get; } =
    [
        Namespaces, ConfigMaps, Secrets, Services, ServiceAccounts, CoreEvents, Deployments, PodDisruptionBudgets,
        HorizontalPodAutoscalers, NetworkPolicies, Leases, Events, CustomResourceDefinitions,
    ];
}
