using TestKit.Processes;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Store;

/// <summary>A Redis 6+ ACL user beside the password, as a production Redis hands one to each application.</summary>
public sealed class RedisTokenStoreAclTests : IAsyncLifetime
{
    private const string AdminPassword = "admin secret";
    private const string User = "consoleproxy";
    private const string UserPassword = "proxy secret";
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server is not started");

    // The user may touch only the schema's keys and channel: what the store needs, and no more.
    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync(
        AdminPassword,
        ["--user", User, "on", $">{UserPassword}", "~consoleproxy:*", "&consoleproxy:*", "+@all"]);

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_acl_user_with_its_password_stores_redeems_and_hears_revocations()
    {
        await using var store = await RedisTokenStore.ConnectAsync(
            new TokenStoreOptions(Redis.Address, UserPassword) { User = User }, TimeProvider.System, CancellationToken.None);
        var hash = TokenHash.Of(AccessToken.Mint());
        var heard = new TaskCompletionSource<TokenHash>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await store.SubscribeRevocationsAsync(h => { heard.TrySetResult(h); return ValueTask.CompletedTask; }, CancellationToken.None);

        await store.StoreAsync(hash, new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);
        Assert.NotNull((await store.GetAsync(hash, CancellationToken.None)).Record);
        Assert.True(await store.RevokeAsync(hash, CancellationToken.None));

        Assert.Equal(hash, await heard.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var clients = await Redis.CommandAsync("CLIENT", "LIST") ?? string.Empty;
        Assert.Contains(clients.Split('\n'), line => line.Contains("name=consoleproxy ", StringComparison.Ordinal) && line.Contains($" user={User} ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(User, "wrong password")]
    [InlineData("nobody", UserPassword)]
    public async Task A_wrong_user_or_password_is_refused_at_start_naming_both_options(string user, string password)
    {
        var refused = await Assert.ThrowsAsync<TokenStoreRefusedException>(() => RedisTokenStore.ConnectAsync(
            new TokenStoreOptions(Redis.Address, password) { User = user, ConnectTimeout = TimeSpan.FromSeconds(2) },
            TimeProvider.System,
            CancellationToken.None));

        Assert.Equal(TokenStoreRefusal.AuthenticationFailed, refused.Refusal);
        Assert.Contains("WRONGPASS", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("--redis-user", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--redis-password", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_user_is_named_and_the_password_hidden_in_the_options_text()
    {
        var text = new TokenStoreOptions(Redis.Address, UserPassword) { User = User }.ToString();

        Assert.Contains($"user: {User}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(UserPassword, text, StringComparison.Ordinal);
    }
}
