using System.Text.Json;
using TestKit.Processes;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Store;

/// <summary>
/// A rolling upgrade runs old proxies (StackExchange.Redis 1.2.6) beside new operators and the other
/// way round, on the same Redis. Legacy/records-1.2.6.json holds raw Redis values that
/// `consoleproxy token create` / `token revoke` built from the 1.2.6 code wrote (captured once with
/// redis-cli): the new code must read them as the old did, and write records the old code reads. The capture's
/// expiries lie in its own past, and Redis expires keys by its real clock, so every expiry is moved by the same whole
/// number of milliseconds to an hour from now; the fields keep the captured format.
/// </summary>
public sealed class LegacyRecordsTests(RedisServerFixture fixture) : IClassFixture<RedisServerFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly LegacyCapture Capture = LegacyCapture.Load();

    private static readonly long ShiftMilliseconds =
        (long)Math.Ceiling((DateTimeOffset.UtcNow.AddHours(1) - Capture.Tokens.Min(t => t.ExpiresAt)).TotalMilliseconds);

    private static DateTimeOffset Shifted(DateTimeOffset expiresAt) => expiresAt.AddMilliseconds(ShiftMilliseconds);

    private static Dictionary<string, string> ShiftedFields(IReadOnlyDictionary<string, string> fields) =>
        fields.ToDictionary(
            field => field.Key,
            field => field.Key == "expires_at" ? (long.Parse(field.Value, System.Globalization.CultureInfo.InvariantCulture) + ShiftMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : field.Value,
            StringComparer.Ordinal);

    [Fact]
    public async Task Records_written_by_the_old_client_read_the_same_with_the_new_one()
    {
        var prefix = await LoadIntoRedisAsync();
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(fixture.Redis.Address, KeyPrefix: prefix), TimeProvider.System, CancellationToken.None);

        var plain = await store.GetAsync(TokenHash.Of(Capture.Tokens[0].RawToken), CancellationToken.None);
        Assert.Equal(new ConsoleTarget("127.0.0.1", 5900), plain.Record!.Target);
        Assert.Equal(TokenFlags.None, plain.Record.Flags);
        Assert.Equal(Shifted(Capture.Tokens[0].ExpiresAt).ToUnixTimeMilliseconds(), plain.Record.ExpiresAt.ToUnixTimeMilliseconds());

        var singleUse = TokenHash.Of(Capture.Tokens[1].RawToken);
        var redeemed = await store.RedeemAsync(singleUse, CancellationToken.None);
        Assert.Equal(new ConsoleTarget("::1", 5901), redeemed.Record!.Target);
        Assert.Equal(TokenFlags.SingleUse | TokenFlags.ViewOnly, redeemed.Record.Flags);
        Assert.Equal(TokenMissReason.Consumed, (await store.RedeemAsync(singleUse, CancellationToken.None)).MissReason);

        var named = await store.GetAsync(TokenHash.Of(Capture.Tokens[2].RawToken), CancellationToken.None);
        Assert.Equal(new ConsoleTarget("vnc.example.test", 5902), named.Record!.Target);

        Assert.Equal(TokenMissReason.Revoked, (await store.GetAsync(TokenHash.Of(Capture.Tokens[3].RawToken), CancellationToken.None)).MissReason);
    }

    [Fact]
    public async Task Records_written_by_the_new_client_have_exactly_the_old_fields_and_formats()
    {
        var prefix = $"legacy-write-{Guid.NewGuid():N}:";
        var old = Capture.Tokens[1];
        await using var store = await RedisTokenStore.ConnectAsync(new TokenStoreOptions(fixture.Redis.Address, KeyPrefix: prefix), TimeProvider.System, CancellationToken.None);
        var hash = TokenHash.Of(old.RawToken);

        await store.StoreAsync(hash, new TokenRecord(new ConsoleTarget("::1", 5901), Shifted(old.ExpiresAt), TokenFlags.SingleUse | TokenFlags.ViewOnly), CancellationToken.None);

        var written = await fixture.Redis.CommandAsync("HGETALL", store.Schema.KeyFor(hash)) ?? string.Empty;
        var lines = written.Split('\n');
        var fields = Enumerable.Range(0, lines.Length / 2).ToDictionary(i => lines[2 * i], i => lines[(2 * i) + 1], StringComparer.Ordinal);
        var oldFields = ShiftedFields(old.Keys[$"{Capture.KeyPrefix}token:{old.TokenHash}"].Fields!);
        Assert.Equal(oldFields.OrderBy(f => f.Key, StringComparer.Ordinal), fields.OrderBy(f => f.Key, StringComparer.Ordinal));

        Assert.True(await store.RevokeAsync(hash, CancellationToken.None));
        var oldMarker = Capture.Tokens[3].Keys[$"{Capture.KeyPrefix}revoked:{Capture.Tokens[3].TokenHash}"].Value;
        Assert.Equal(oldMarker, await fixture.Redis.CommandAsync("GET", store.Schema.RevokedKeyFor(hash)));
    }

    [Fact]
    public void The_capture_hashes_match_the_raw_tokens()
    {
        foreach (var token in Capture.Tokens)
        {
            Assert.Equal(token.TokenHash, TokenHash.Of(token.RawToken).Hex);
        }
    }

    /// <summary>Writes the captured keys, as they were, under a fresh prefix (records keep their captured fields).</summary>
    private async Task<string> LoadIntoRedisAsync()
    {
        var prefix = $"legacy-read-{Guid.NewGuid():N}:";
        foreach (var token in Capture.Tokens)
        {
            foreach (var (key, value) in token.Keys)
            {
                var newKey = prefix + key[Capture.KeyPrefix.Length..];
                if (value.Type == "hash")
                {
                    await fixture.Redis.CommandAsync(["HSET", newKey, .. ShiftedFields(value.Fields!).SelectMany(f => new[] { f.Key, f.Value })]);
                }
                else
                {
                    await fixture.Redis.CommandAsync("SET", newKey, value.Value!);
                }
            }
        }

        return prefix;
    }

    private sealed record LegacyCapture(string KeyPrefix, IReadOnlyList<LegacyToken> Tokens)
    {
        public static LegacyCapture Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Store", "Legacy", "records-1.2.6.json");
            return JsonSerializer.Deserialize<LegacyCapture>(File.ReadAllText(path), Json)
                ?? throw new InvalidOperationException($"{path} is empty");
        }
    }

    private sealed record LegacyToken(string RawToken, string TokenHash, DateTimeOffset ExpiresAt, IReadOnlyDictionary<string, LegacyKey> Keys);

    private sealed record LegacyKey(string Type, IReadOnlyDictionary<string, string>? Fields, string? Value);
}
