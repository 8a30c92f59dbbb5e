using System.CommandLine;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>The Redis options the `token` verbs share with `serve` (same names, same variables).</summary>
public sealed class TokenStoreOptionSet
{
    public Option<string> Redis { get; } = Required(CliOption.Create<string>("--redis", "Token store (Redis) as HOST:PORT; IPv6 as [ADDR]:PORT", helpName: "HOST:PORT"));

    public Option<string> RedisPassword { get; } = CliOption.Create<string>("--redis-password", "Redis AUTH password (prefer the environment variable)", helpName: "PASSWORD");

    public Option<bool> RedisTls { get; } = CliOption.Create<bool>("--redis-tls", "Connect to Redis over TLS");

    public Option<string> KeyPrefix { get; } = CliOption.Create("--key-prefix", "Prefix of the proxy's keys and revocation channel in Redis", () => TokenStoreOptions.DefaultKeyPrefix, "PREFIX");

    public void AddTo(Command command)
    {
        command.Add(Redis);
        command.Add(RedisPassword);
        command.Add(RedisTls);
        command.Add(KeyPrefix);
    }

    public TokenStoreOptions Read(ParseResult result) => new(
        result.GetValue(Redis)!,
        string.IsNullOrEmpty(result.GetValue(RedisPassword)) ? null : result.GetValue(RedisPassword),
        result.GetValue(RedisTls),
        result.GetValue(KeyPrefix)!);

    private static Option<T> Required<T>(Option<T> option)
    {
        option.Required = true;
        return option;
    }
}
