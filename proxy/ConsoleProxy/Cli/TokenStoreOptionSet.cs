using System.CommandLine;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>The Redis options the `token` verbs share with `serve` (same names, same variables).</summary>
public sealed class TokenStoreOptionSet
{
    public Option<string> Redis { get; } = CliOption.Create<string>("--redis", "Token store (Redis) as HOST:PORT; IPv6 as [ADDR]:PORT (or --redis-sentinel)", helpName: "HOST:PORT");

    public Option<string> RedisPassword { get; } = CliOption.Create<string>("--redis-password", "Redis AUTH password (prefer the environment variable)", helpName: "PASSWORD");

    public Option<bool> RedisTls { get; } = CliOption.Create<bool>("--redis-tls", "Connect to Redis over TLS");

    public Option<string> RedisUser { get; } = UserOption();

    public Option<string> RedisSentinel { get; } = SentinelOption();

    public Option<string> RedisMasterName { get; } = MasterNameOption();

    public Option<string> RedisCa { get; } = CaOption();

    public Option<string> RedisClientCert { get; } = ClientCertOption();

    public Option<string> RedisClientKey { get; } = ClientKeyOption();

    public Option<string> KeyPrefix { get; } = CliOption.Create("--key-prefix", "Prefix of the proxy's keys and revocation channel in Redis", () => TokenStoreOptions.DefaultKeyPrefix, "PREFIX");

    public static Option<string> UserOption() =>
        CliOption.Create<string>("--redis-user", "Redis 6+ ACL user the password belongs to (default: the default user)", helpName: "USER");

    public static Option<string> SentinelOption() =>
        CliOption.Create<string>("--redis-sentinel", "Find the Redis primary through these sentinels (HOST:PORT,HOST:PORT,...) instead of --redis; needs --redis-master-name", helpName: "HOST:PORT,...");

    public static Option<string> MasterNameOption() =>
        CliOption.Create<string>("--redis-master-name", "The name the sentinels monitor the primary under", helpName: "NAME");

    public static Option<string> CaOption() =>
        CliOption.Create<string>("--redis-ca", "PEM file of the private CA Redis's certificate must chain to (host name verified; implies TLS)", helpName: "FILE");

    public static Option<string> ClientCertOption() =>
        CliOption.Create<string>("--redis-client-cert", "PEM client certificate for a Redis that asks for one (with --redis-client-key; implies TLS)", helpName: "FILE");

    public static Option<string> ClientKeyOption() =>
        CliOption.Create<string>("--redis-client-key", "PEM private key of --redis-client-cert", helpName: "FILE");

    public void AddTo(Command command)
    {
        command.Add(Redis);
        command.Add(RedisPassword);
        command.Add(RedisTls);
        command.Add(RedisUser);
        command.Add(RedisSentinel);
        command.Add(RedisMasterName);
        command.Add(RedisCa);
        command.Add(RedisClientCert);
        command.Add(RedisClientKey);
        command.Add(KeyPrefix);
    }

    /// <summary>The options as one record; throws <see cref="ArgumentException"/> naming what is wrong or missing.</summary>
    public TokenStoreOptions Read(ParseResult result)
    {
        var address = NullIfEmpty(result.GetValue(Redis));
        var sentinels = NullIfEmpty(result.GetValue(RedisSentinel));
        var masterName = NullIfEmpty(result.GetValue(RedisMasterName));
        SentinelOptions? sentinel = null;
        if (sentinels is not null)
        {
            if (address is not null)
            {
                throw new ArgumentException("--redis and --redis-sentinel exclude each other: name a single Redis or the sentinels, not both");
            }

            var addresses = SentinelOptions.ParseAddresses(sentinels, out var error) ?? throw new ArgumentException($"--redis-sentinel: {error}");
            sentinel = new SentinelOptions(addresses, masterName ?? throw new ArgumentException("--redis-master-name is required with --redis-sentinel"));
        }
        else if (address is null)
        {
            throw new ArgumentException("--redis is required (HOST:PORT of the token store), or --redis-sentinel with --redis-master-name");
        }
        else if (masterName is not null)
        {
            throw new ArgumentException("--redis-master-name needs --redis-sentinel");
        }

        return new TokenStoreOptions(address ?? string.Empty, NullIfEmpty(result.GetValue(RedisPassword)), result.GetValue(RedisTls), result.GetValue(KeyPrefix)!)
        {
            User = NullIfEmpty(result.GetValue(RedisUser)),
            Sentinel = sentinel,
            CaFile = NullIfEmpty(result.GetValue(RedisCa)),
            ClientCertificateFile = NullIfEmpty(result.GetValue(RedisClientCert)),
            ClientKeyFile = NullIfEmpty(result.GetValue(RedisClientKey)),
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
