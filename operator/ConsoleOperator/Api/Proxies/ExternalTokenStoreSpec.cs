using System.ComponentModel;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>A Redis run elsewhere; the operator must reach it too, to mint tokens.</summary>
public sealed record ExternalTokenStoreSpec
{
    [Required]
    [Pattern(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$")]
    [Description("HOST:PORT of the Redis server ([IPV6]:PORT for IPv6).")]
    public string Address { get; init; } = "";

    [Description("The Secret key holding the Redis password.")]
    public SecretKeyReference? PasswordSecretRef { get; init; }

    [Description("Connect to Redis over TLS.")]
    public bool Tls { get; init; }
}
