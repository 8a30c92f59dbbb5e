using System.Text;
using TestKit.Processes;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>
/// Asserts a secret (as it is, and base64-encoded) is in no value of a real redis-server: every key read by its type
/// (token records are hashes, published sessions strings and sorted sets), so a new kind of key is never skipped.
/// </summary>
internal static class SecretLeakScan
{
    public static async Task AssertNotInRedisAsync(RedisServer server, string secret)
    {
        var keys = (await server.CommandAsync("KEYS", "*"))!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(keys);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        foreach (var key in keys)
        {
            var type = await server.CommandAsync("TYPE", key);
            var value = type switch
            {
                "hash" => await server.CommandAsync("HGETALL", key),
                "zset" => await server.CommandAsync("ZRANGE", key, "0", "-1"),
                "string" => await server.CommandAsync("GET", key),
                _ => throw new InvalidOperationException($"key {key} is a Redis {type}, which this scan does not read yet: add it"),
            };
            Assert.DoesNotContain(secret, value ?? string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain(encoded, value ?? string.Empty, StringComparison.Ordinal);
        }
    }
}
