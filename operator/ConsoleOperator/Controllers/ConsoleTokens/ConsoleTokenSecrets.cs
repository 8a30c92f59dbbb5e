using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Finalizers;
using ConsoleOperator.Kube.Runtime.Informers;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// Finds, creates and lets go of the Secrets that hold ConsoleTokens' raw tokens (see <see cref="ConsoleTokenSecret"/>).
/// Each carries the controller's finalizer so it cannot vanish before its token was revoked.
/// </summary>
public sealed class ConsoleTokenSecrets
{
    private readonly ResourceClient<V1Secret> _client;
    private readonly InformerCache<V1Secret> _cache;
    private readonly string _finalizer;

    /// <param name="client">Secrets in every namespace (each token's own is used).</param>
    /// <param name="cache">The informer cache of the ConsoleTokens' Secrets.</param>
    /// <param name="finalizer">The finalizer each Secret carries until its token cannot be live any more.</param>
    public ConsoleTokenSecrets(ResourceClient<V1Secret> client, InformerCache<V1Secret> cache, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentException.ThrowIfNullOrWhiteSpace(finalizer);
        _client = client;
        _cache = cache;
        _finalizer = finalizer;
    }

    /// <summary>The token's Secret from the cache, or from the server when the cache has none and <paramref name="lookUpServer"/>.</summary>
    public async Task<V1Secret?> FindAsync(ConsoleTokenResource token, bool lookUpServer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var name = ConsoleTokenSecret.NameFor(token);
        var cached = _cache.Get(token.Metadata.NamespaceProperty ?? string.Empty, name);
        if (cached is not null || !lookUpServer)
        {
            return cached;
        }

        // The cache may trail a Secret this controller created a moment ago; the server has the last word.
        return await _client.InNamespace(token.Metadata.NamespaceProperty).GetOrDefaultAsync(name, cancellationToken);
    }

    /// <summary>
    /// Creates the Secret holding <paramref name="minted"/>. A create is atomic: when the Secret exists already (a
    /// previous attempt created it and the cache had not seen it yet), that one is returned and its token is the one.
    /// </summary>
    public async Task<V1Secret> CreateOrGetAsync(ConsoleTokenResource token, MintedToken minted, CancellationToken cancellationToken)
    {
        var namespaced = _client.InNamespace(token.Metadata.NamespaceProperty);
        try
        {
            return await namespaced.CreateAsync(ConsoleTokenSecret.Build(token, minted, _finalizer), cancellationToken: cancellationToken);
        }
        catch (KubernetesApiException exception) when (exception.IsAlreadyExists)
        {
            return await namespaced.GetAsync(ConsoleTokenSecret.NameFor(token), cancellationToken);
        }
    }

    /// <summary>Takes the finalizer off the token's Secret once nothing in it can be live any more.</summary>
    public async Task ReleaseAsync(ConsoleTokenResource token, V1Secret? secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (secret is not null && OwnerReferences.IsControlledBy(secret, token))
        {
            await FinalizerPatcher.RemoveAsync(_client, secret, _finalizer, cancellationToken);
        }
    }

    /// <summary>
    /// Lets the terminating Secret of a ConsoleToken that is gone go too: only reachable when someone stripped the
    /// ConsoleToken's finalizer by hand.
    /// </summary>
    public async Task ReleaseOrphanAsync(ObjectKey token, CancellationToken cancellationToken)
    {
        if (_cache.Get(token.Namespace, token.Name + "-console") is { Metadata.DeletionTimestamp: not null } orphan)
        {
            await FinalizerPatcher.RemoveAsync(_client, orphan, _finalizer, cancellationToken);
        }
    }
}
