using System.Text.Json.Nodes;
using ConsoleOperator.OnRealApiServer.Tests.Cluster;
using k8s;
using k8s.Models;

namespace ConsoleOperator.OnRealApiServer.Tests.Crds;

/// <summary>ConsoleProxies and ConsoleTokens through KubernetesClient's generic custom-object calls.</summary>
public sealed class CustomObjects(Kubernetes client, string plural)
{
    public static CustomObjects ConsoleProxies(Kubernetes client) => new(client, "consoleproxies");

    public static CustomObjects ConsoleTokens(Kubernetes client) => new(client, "consoletokens");

    public async Task<JsonObject> CreateAsync(string ns, JsonObject body, CancellationToken cancellationToken, bool dryRun = false) =>
        await ParseAsync(client.CustomObjects.CreateNamespacedCustomObjectAsync(
            body, RealApiServer.Group, RealApiServer.Version, ns, plural, dryRun: dryRun ? "All" : null, cancellationToken: cancellationToken));

    public async Task<JsonObject> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await ParseAsync(client.CustomObjects.GetNamespacedCustomObjectAsync(RealApiServer.Group, RealApiServer.Version, ns, plural, name, cancellationToken));

    /// <summary>The object, or null once it is gone (404).</summary>
    public async Task<JsonObject?> GetOrDefaultAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(ns, name, cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<JsonObject> MergePatchAsync(string ns, string name, JsonObject patch, CancellationToken cancellationToken) =>
        await ParseAsync(client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), RealApiServer.Group, RealApiServer.Version, ns, plural, name,
            cancellationToken: cancellationToken));

    public Task DeleteAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync(RealApiServer.Group, RealApiServer.Version, ns, plural, name, cancellationToken: cancellationToken);

    private static async Task<JsonObject> ParseAsync(Task<object> request)
    {
        // KubernetesClient hands custom objects back as JsonElement.
        var answer = await request;
        return JsonNode.Parse(KubernetesJson.Serialize(answer))?.AsObject() ?? throw new InvalidDataException("an empty answer");
    }
}
