using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Api;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Controllers;
using ConsoleOperator.Kube.Runtime.Entities;
using ConsoleOperator.Kube.Runtime.Events;
using ConsoleOperator.Kube.Runtime.Hosting;
using ConsoleOperator.Kube.Runtime.Informers;
using ConsoleOperator.Kube.Runtime.Metrics;
using ConsoleOperator.Kube.Runtime.Rbac;
using ConsoleOperator.TokenStores;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// What the ConsoleProxy controller is called and may do: its names, the label of the objects it owns and its RBAC
/// (the ClusterRole is generated from these attributes). It is added to the runtime by
/// <see cref="ConsoleProxyControllerRegistration.AddConsoleProxyController"/>.
/// </summary>
// ConsoleProxies are read and watched, never written but for their status (server-side apply).
[EntityRbac(typeof(ConsoleProxyResource), Verbs = RbacVerb.List | RbacVerb.Watch)]
[EntityRbac(typeof(ConsoleProxyResource), Subresource = "status", Verbs = RbacVerb.Patch)]
// Setting blockOwnerDeletion on an owner reference needs update on the owner's finalizers subresource.
[EntityRbac(typeof(ConsoleProxyResource), Subresource = "finalizers", Verbs = RbacVerb.Update)]
// What a ConsoleProxy owns: applied (create + patch: an apply that creates needs both), watched to repair drift,
// deleted when a spec change makes it unnecessary (the autoscaler, the managed Redis). Secrets: the managed Redis
// password, and (read only) the password Secret an external token store names.
[EntityRbac(
    typeof(V1ServiceAccount), typeof(V1ConfigMap), typeof(V1Service), typeof(V1Secret), typeof(V1Deployment),
    typeof(V1PodDisruptionBudget), typeof(V2HorizontalPodAutoscaler), typeof(V1NetworkPolicy),
    Verbs = RbacVerb.Own)]
public static class ConsoleProxyController
{
    public const string Name = "consoleproxy";

    /// <summary>The name of the ConsoleProxy informer (in logs and /readyz), whichever controller asks for it first.</summary>
    public const string ProxiesInformerName = "consoleproxies";

    /// <summary>Every object the operator builds carries it; the owned-object informers cache only those.</summary>
    public static readonly string ManagedObjectsSelector = $"{ObjectLabels.ManagedBy}={ObjectLabels.ManagedByValue}";

    /// <summary>The ConsoleProxy client (all namespaces, or the one watched namespace).</summary>
    public static ResourceClient<ConsoleProxyResource> ProxyClient(KubernetesClient client, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.Resource(ApiKinds.ConsoleProxies, EntityJson.TypeInfo<ConsoleProxyResource>(), @namespace);
    }
}
