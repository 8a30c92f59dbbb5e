using System.Reflection;
using System.Text;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Http;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Entities;

/// <summary>
/// The verbs on one kind of the library's models (or an entity of ours shaped like them), KubeOps-style: where the
/// resource lives comes from the type's <see cref="KubernetesEntityAttribute"/>, the JSON is the library's
/// <see cref="KubernetesJson"/> (nulls omitted; times as <see cref="EntityJson"/> writes them), and every call goes through
/// <see cref="KubernetesClient.SendAsync"/> for its deadline, 401 retry, Warning headers and Status errors.
/// Bound to a namespace, or to none for cluster-scoped kinds.
/// </summary>
public sealed class EntityClient<TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly KubernetesEntityAttribute Entity = typeof(TEntity).GetCustomAttribute<KubernetesEntityAttribute>()
        ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no [KubernetesEntity] attribute naming its group, version and plural");

    private readonly KubernetesClient _client;

    public EntityClient(KubernetesClient client, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        Namespace = @namespace;
    }

    public string? Namespace { get; }

    public async Task<TEntity> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await _client.SendAsync(new KubernetesRequest(HttpMethod.Get, Path(name)), cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>The object, or null when it does not exist (404 NotFound).</summary>
    public async Task<TEntity?> GetOrDefaultAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(name, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<TEntity> CreateAsync(TEntity value, CancellationToken cancellationToken = default)
    {
        using var response = await _client.SendAsync(Write(HttpMethod.Post, Path(null), value), cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    /// <summary>PUT: a full replacement, conditional on metadata.resourceVersion when set (a stale one is 409 Conflict).</summary>
    public async Task<TEntity> ReplaceAsync(TEntity value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var name = value.Metadata?.Name;
        ArgumentException.ThrowIfNullOrWhiteSpace(name, "value.Metadata.Name");
        using var response = await _client.SendAsync(Write(HttpMethod.Put, Path(name), value), cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private static KubernetesRequest Write(HttpMethod method, string path, TEntity value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // The library's models leave apiVersion and kind to the caller; the server needs them.
        value.WithTypeMeta();
        return new KubernetesRequest(method, path)
        {
            Body = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(value, EntityJson.Options)),
            ContentType = MediaTypes.Json,
        };
    }

    private static async Task<TEntity> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        return KubernetesJson.Deserialize<TEntity>(json)
            ?? throw new KubernetesProtocolException($"the server answered {typeof(TEntity).Name} with an empty body");
    }

    private string Path(string? name)
    {
        var root = string.IsNullOrEmpty(Entity.Group) ? $"/api/{Entity.ApiVersion}" : $"/apis/{Entity.Group}/{Entity.ApiVersion}";
        var scope = Namespace is null ? string.Empty : $"/namespaces/{Uri.EscapeDataString(Namespace)}";
        var item = name is null ? string.Empty : $"/{Uri.EscapeDataString(name)}";
        return $"{root}{scope}/{Entity.PluralName}{item}";
    }
}
