using System.Text;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleProxy.Tokens.Store;
using k8s.Models;

namespace ConsoleOperator.TokenStores;

/// <summary>
/// Works out how the operator connects to a ConsoleProxy's token store: the endpoint the proxy pods use
/// (<see cref="TokenStoreEndpoint"/>: managed Service or external address, TLS, key prefix), the address mapped by
/// an <see cref="ITokenStoreAddressResolver"/>, and the password read from its Secret.
/// </summary>
public sealed class TokenStoreOptionsResolver
{
    private readonly ResourceClient<V1Secret> _secrets;
    private readonly ITokenStoreAddressResolver _addresses;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _operationTimeout;

    public TokenStoreOptionsResolver(ResourceClient<V1Secret> secrets, ITokenStoreAddressResolver addresses, TimeSpan connectTimeout, TimeSpan operationTimeout)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(operationTimeout, TimeSpan.Zero);
        _secrets = secrets;
        _addresses = addresses;
        _connectTimeout = connectTimeout;
        _operationTimeout = operationTimeout;
    }

    /// <summary>The connection settings; throws <see cref="TokenStoreConfigurationException"/> when they cannot be known yet.</summary>
    /// <param name="proxy">The ConsoleProxy (its namespace holds the Secrets).</param>
    /// <param name="endpoint">Its token store as the caller resolved it once (<see cref="ProxyTokenStores.EndpointOf"/>), so
    /// the connection and the messages about it name the same store.</param>
    /// <param name="cancellationToken">Stops the Secret reads.</param>
    public async Task<TokenStoreOptions> ResolveAsync(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(endpoint);
        var password = endpoint.PasswordSecret is { } reference
            ? await ReadPasswordAsync(proxy.Metadata.NamespaceProperty!, reference.Name, reference.Key, cancellationToken)
            : null;
        var user = endpoint.UsernameSecret is { } userReference
            ? await ReadPasswordAsync(proxy.Metadata.NamespaceProperty!, userReference.Name, userReference.Key, cancellationToken)
            : null;

        // Behind Sentinel the client asks the sentinels for the primary, as the proxy pods do.
        var sentinel = endpoint.Sentinel is { } spec ? new SentinelOptions(spec.Addresses, spec.MasterName) : null;
        return new TokenStoreOptions(sentinel is null ? _addresses.Resolve(proxy, endpoint) : string.Empty, password, endpoint.UsesTls, endpoint.KeyPrefix)
        {
            User = user,
            TlsMaterial = await ReadTlsMaterialAsync(proxy.Metadata.NamespaceProperty!, endpoint, cancellationToken),
            Sentinel = sentinel,
            ConnectTimeout = _connectTimeout,
            OperationTimeout = _operationTimeout,

            // A refused password here is often a rotation in progress (the managed Redis restarts with
            // the new Secret): keep the connection and report it unreachable, invalidated on failure.
            RefuseAtStart = false,
        };
    }

    /// <summary>The CA and client certificate the proxy pods get mounted, read from the same Secrets; null when there are none.</summary>
    private async Task<TokenStoreTlsMaterial?> ReadTlsMaterialAsync(string ns, TokenStoreEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.CaSecret is null && endpoint.ClientCertificateSecret is null)
        {
            return null;
        }

        var ca = endpoint.CaSecret is { } caReference ? await ReadTlsKeyAsync(ns, caReference.Name, caReference.Key, cancellationToken) : null;
        string? certificate = null, key = null;
        if (endpoint.ClientCertificateSecret is { } client)
        {
            certificate = await ReadTlsKeyAsync(ns, client, TokenStoreEndpoint.CertificateKey, cancellationToken);
            key = await ReadTlsKeyAsync(ns, client, TokenStoreEndpoint.PrivateKeyKey, cancellationToken);
        }

        var source = string.Join(" and ", new[] { endpoint.CaSecret?.Name, endpoint.ClientCertificateSecret }.OfType<string>().Distinct(StringComparer.Ordinal).Select(name => $"Secret {ns}/{name}"));
        return new TokenStoreTlsMaterial(source, ca, certificate, key);
    }

    private async Task<string> ReadTlsKeyAsync(string ns, string name, string key, CancellationToken cancellationToken)
    {
        var secret = await _secrets.InNamespace(ns).GetOrDefaultAsync(name, cancellationToken)
            ?? throw new TokenStoreConfigurationException($"the token store TLS Secret {ns}/{name} does not exist (yet)") { TlsSecret = name };
        return secret.Data is not null && secret.Data.TryGetValue(key, out var bytes) && bytes is { Length: > 0 }
            ? Encoding.UTF8.GetString(bytes)
            : throw new TokenStoreConfigurationException($"the token store TLS Secret {ns}/{name} has no key '{key}'") { TlsSecret = name };
    }

    private async Task<string> ReadPasswordAsync(string ns, string name, string key, CancellationToken cancellationToken)
    {
        // Read from the API, not a cache: the operator watches only its own Secrets, and this runs once per
        // proxy connection, not per token.
        var secret = await _secrets.InNamespace(ns).GetOrDefaultAsync(name, cancellationToken)
            ?? throw new TokenStoreConfigurationException($"the token store password Secret {ns}/{name} does not exist (yet)");
        if (secret.Data is null || !secret.Data.TryGetValue(key, out var bytes) || bytes is not { Length: > 0 })
        {
            throw new TokenStoreConfigurationException($"the token store password Secret {ns}/{name} has no key '{key}'");
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
