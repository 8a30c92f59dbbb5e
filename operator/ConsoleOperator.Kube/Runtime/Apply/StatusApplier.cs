using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Apply;

/// <summary>
/// Writes a controller's status with server-side apply to the <c>/status</c> subresource, and only when the computed
/// status differs from the current one: compared field by field (a field others set does not count, a condition's
/// lastTransitionTime does not count while its status holds), so a converged reconcile sends nothing and does not
/// wake every watcher with a new resourceVersion; nor when the cache still shows the version our identical last
/// write replaced (see <see cref="RecentWrites"/>).
/// </summary>
public sealed class StatusApplier<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceClient<T> _client;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly RecentWrites _recentWrites = new();

    public StatusApplier(ResourceClient<T> client, JsonTypeInfo<T> typeInfo, string fieldManager)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldManager);
        _client = client;
        _typeInfo = typeInfo;
        FieldManager = fieldManager;
    }

    public string FieldManager { get; }

    /// <summary>Applies <paramref name="desiredStatus"/> (the status fields this controller owns), if it differs.</summary>
    public async Task<ApplyOutcome<T>> ApplyAsync(T current, JsonNode desiredStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desiredStatus);
        var name = current.Metadata.Name ?? throw new ArgumentException("The current object has no metadata.name.", nameof(current));
        var key = new ObjectKey(current.Metadata.NamespaceProperty ?? string.Empty, name);
        var fingerprint = desiredStatus.ToJsonString();
        var currentStatus = (JsonSerializer.SerializeToNode(current, _typeInfo) as JsonObject)?["status"];
        if (JsonSubset.IsSubsetOf(desiredStatus, currentStatus) || _recentWrites.IsInFlight(key, fingerprint, current.Metadata.ResourceVersion))
        {
            return new ApplyOutcome<T>(current, Written: false);
        }

        // Only name, namespace and the status: the client adds apiVersion and kind, a null namespace is left out.
        var body = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = string.IsNullOrEmpty(current.Metadata.NamespaceProperty) ? null : current.Metadata.NamespaceProperty },
            ["status"] = desiredStatus.DeepClone(),
        };
        var patch = body.Deserialize(_typeInfo) ?? throw new InvalidOperationException("The status body did not deserialize.");
        var scoped = _client.Descriptor.Namespaced && _client.Namespace is null ? _client.InNamespace(current.Metadata.NamespaceProperty) : _client;
        var applied = await scoped.ApplyStatusAsync(patch, FieldManager, force: true, cancellationToken: cancellationToken);
        _recentWrites.Record(key, fingerprint, current.Metadata.ResourceVersion);
        return new ApplyOutcome<T>(applied, Written: true);
    }
}
