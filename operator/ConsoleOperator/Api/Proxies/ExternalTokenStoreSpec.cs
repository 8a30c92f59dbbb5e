using System.ComponentModel;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>A Redis run elsewhere, one server or behind Sentinel; the operator must reach it too, to mint tokens.</summary>
[ValidationRule("has(self.address) != has(self.sentinel)", "external needs exactly one of address (one Redis) or sentinel (Redis Sentinel)")]
public sealed record ExternalTokenStoreSpec
{
    [Pattern(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$")]
    [Description("HOST:PORT of the Redis server ([IPV6]:PORT for IPv6); or sentinel.")]
    public string? Address { get; init; }

    [Description("Find the primary through Redis Sentinel, and follow its failovers; or address.")]
    public RedisSentinelSpec? Sentinel { get; init; }

    [Description("The Secret key holding the Redis password.")]
    public SecretKeyReference? PasswordSecretRef { get; init; }

    [Description("The Secret key holding the Redis 6+ ACL user the password belongs to (usually the password's Secret).")]
    public SecretKeyReference? UsernameSecretRef { get; init; }

    [Description("Connect to Redis over TLS.")]
    public bool Tls { get; init; }

    [Description("The Secret key holding the PEM CA bundle the Redis server's certificate must chain to (implies TLS; the host name is checked too). Without it the system's CAs are trusted.")]
    public SecretKeyReference? CaSecretRef { get; init; }

    [Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    [Description("A kubernetes.io/tls Secret (tls.crt, tls.key) in the ConsoleProxy's namespace: the client certificate offered when Redis asks for one (implies TLS).")]
    public string? ClientCertificateSecretName { get; init; }
}
