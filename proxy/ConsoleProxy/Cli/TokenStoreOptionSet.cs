using System.CommandLine;
using ConsoleProxy.Tokens.Settings;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Cli;

/// <summary>The Redis options the `token` and `sessions` verbs share with `serve` (the contract's token store settings).</summary>
public sealed class TokenStoreOptionSet
{
    private readonly SettingOptions _options = new(ProxySettingsContract.TokenStore);

    public void AddTo(Command command) => _options.AddTo(command);

    /// <summary>The options as one record; throws <see cref="ArgumentException"/> naming what is wrong or missing.</summary>
    public TokenStoreOptions Read(ParseResult result)
    {
        var settings = _options.Read(result);
        var address = NullIfEmpty(settings.Get(ProxySettingsContract.Redis));
        var sentinels = NullIfEmpty(settings.Get(ProxySettingsContract.RedisSentinel));
        var masterName = NullIfEmpty(settings.Get(ProxySettingsContract.RedisMasterName));
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

        return new TokenStoreOptions(address ?? string.Empty, NullIfEmpty(settings.Get(ProxySettingsContract.RedisPassword)), settings.Get(ProxySettingsContract.RedisTls), settings.Get(ProxySettingsContract.KeyPrefix)!)
        {
            User = NullIfEmpty(settings.Get(ProxySettingsContract.RedisUser)),
            Sentinel = sentinel,
            CaFile = NullIfEmpty(settings.Get(ProxySettingsContract.RedisCa)),
            ClientCertificateFile = NullIfEmpty(settings.Get(ProxySettingsContract.RedisClientCert)),
            ClientKeyFile = NullIfEmpty(settings.Get(ProxySettingsContract.RedisClientKey)),
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
