using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>Where the token hashes live: exactly one of managed or external.</summary>
[ValidationRule("has(self.managed) != has(self.external)", "tokenStore needs exactly one of managed or external")]
public sealed record TokenStoreSpec
{
    [Description("The operator runs a Redis for this proxy.")]
    public ManagedTokenStoreSpec? Managed { get; init; }

    [Description("Use an existing Redis.")]
    public ExternalTokenStoreSpec? External { get; init; }
}
