using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Proxies;

/// <summary>Redis Sentinel in front of an external token store: the sentinels name the primary, and follow failovers.</summary>
public sealed record RedisSentinelSpec
{
    [Required]
    [Pattern(@"^[A-Za-z0-9._-]+$")]
    [Description("The name the sentinels monitor the primary under (sentinel monitor NAME ...).")]
    public string MasterName { get; init; } = "";

    [Required]
    [Items(MinItems = 1, ItemPattern = @"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$")]
    [Description("HOST:PORT of each sentinel ([IPV6]:PORT for IPv6); the operator and the proxy pods must reach them and the Redis nodes they name.")]
    public List<string> Addresses { get; init; } = [];

    [Default(6379)]
    [Range(1, 65535)]
    [Description("The TCP port of the Redis nodes the sentinels name (the NetworkPolicy lets the proxy pods reach them on it; default 6379).")]
    public int RedisPort { get; init; } = 6379;
}
