using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Naming;

namespace ConsoleOperator.Builders.TokenStore;

/// <summary>
/// How the proxy pods and the operator reach a ConsoleProxy's token store, whether the operator runs it
/// (managed) or not (external). One answer for both sides, so tokens are minted where the proxies look.
/// </summary>
/// <param name="Address">HOST:PORT (IPv6 in brackets).</param>
/// <param name="Tls">Whether to speak TLS to Redis.</param>
/// <param name="PasswordSecret">The Secret key holding the password; null when the store needs none.</param>
/// <param name="KeyPrefix">The prefix of this proxy's keys and revocation channel.</param>
/// <param name="IsManaged">Whether the operator runs this Redis.</param>
/// <param name="Sentinel">Redis Sentinel in front of an external store (then <paramref name="Address"/> is empty).</param>
/// <param name="UsernameSecret">The Secret key holding the ACL user; null for the default user.</param>
/// <param name="CaSecret">The Secret key holding the PEM CA the server's certificate must chain to; null for the system's CAs.</param>
/// <param name="ClientCertificateSecret">The kubernetes.io/tls Secret with the client certificate; null offers none.</param>
public sealed record TokenStoreEndpoint(
    string Address,
    bool Tls,
    SecretKeyReference? PasswordSecret,
    string KeyPrefix,
    bool IsManaged,
    RedisSentinelSpec? Sentinel = null,
    SecretKeyReference? UsernameSecret = null,
    SecretKeyReference? CaSecret = null,
    string? ClientCertificateSecret = null)
{
    /// <summary>The key of the managed Redis password in its Secret.</summary>
    public const string ManagedPasswordKey = "password";

    /// <summary>The keys of a kubernetes.io/tls Secret.</summary>
    public const string CertificateKey = "tls.crt";

    /// <inheritdoc cref="CertificateKey"/>
    public const string PrivateKeyKey = "tls.key";

    /// <summary>Whether the proxies and the operator speak TLS to the store: asked for, or implied by a CA or a client certificate.</summary>
    public bool UsesTls => Tls || CaSecret is not null || ClientCertificateSecret is not null;

    /// <summary>The endpoint of a valid ConsoleProxy (one with exactly one of managed or external).</summary>
    public static TokenStoreEndpoint For(ConsoleProxyResource proxy)
    {
        var names = ConsoleProxyNames.For(proxy);
        var store = proxy.Spec.TokenStore;
        if (store.External is { } external)
        {
            return new TokenStoreEndpoint(
                external.Address ?? string.Empty,
                external.Tls,
                external.PasswordSecretRef,
                names.KeyPrefix,
                IsManaged: false,
                external.Sentinel,
                external.UsernameSecretRef,
                external.CaSecretRef,
                external.ClientCertificateSecretName);
        }

        if (store.Managed is not null)
        {
            return new TokenStoreEndpoint(
                $"{names.RedisHost}:{RedisPort.Number}",
                Tls: false,
                new SecretKeyReference { Name = names.RedisAuthSecret, Key = ManagedPasswordKey },
                names.KeyPrefix,
                IsManaged: true);
        }

        throw new ArgumentException($"the ConsoleProxy '{names.Namespace}/{names.ProxyName}' has neither a managed nor an external token store", nameof(proxy));
    }
}
