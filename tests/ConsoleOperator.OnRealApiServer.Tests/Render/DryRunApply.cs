using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ConsoleOperator.OnRealApiServer.Tests.Render;

/// <summary>
/// Server-side apply with dryRun=All and strict field validation, the way the operator applies what it owns (its field
/// manager, force): the server runs defaulting, validation and admission and stores nothing. Dispatched by kind to
/// KubernetesClient's typed calls; a kind this does not know fails the test, so a new builder cannot slip past.
/// </summary>
public static class DryRunApply
{
    public const string FieldManager = "console-operator";

    public static async Task<string> ApplyAsync(Kubernetes client, JsonObject obj, CancellationToken cancellationToken)
    {
        var kind = obj["kind"]?.GetValue<string>() ?? throw new InvalidDataException($"no kind: {obj.ToJsonString()}");
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"no metadata.name: {obj.ToJsonString()}");
        var ns = obj["metadata"]?["namespace"]?.GetValue<string>() ?? throw new InvalidDataException($"{kind} {name} has no namespace");
        var patch = new V1Patch(obj.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        const string dryRun = "All";
        const string strict = "Strict";
        IMetadata<V1ObjectMeta> applied = (apiVersion, kind) switch
        {
            ("v1", "ServiceAccount") => await client.CoreV1.PatchNamespacedServiceAccountAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            ("v1", "ConfigMap") => await client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            ("v1", "Secret") => await client.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            ("v1", "Service") => await client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            ("apps/v1", "Deployment") => await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            ("policy/v1", "PodDisruptionBudget") => await client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            ("autoscaling/v2", "HorizontalPodAutoscaler") => await client.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            ("networking.k8s.io/v1", "NetworkPolicy") => await client.NetworkingV1.PatchNamespacedNetworkPolicyAsync(patch, name, ns, dryRun, FieldManager, strict, force: true, cancellationToken: cancellationToken),
            _ => throw new InvalidOperationException($"render produced {apiVersion} {kind} {name}, which this test does not apply yet: add it to {nameof(DryRunApply)}"),
        };
        Assert.Equal(name, applied.Metadata.Name);
        return kind;
    }
}
