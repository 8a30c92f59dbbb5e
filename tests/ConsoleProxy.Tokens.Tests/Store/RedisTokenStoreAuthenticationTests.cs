using TestKit.Processes;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Store;

public sealed class RedisTokenStoreAuthenticationTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server is not started");

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync(Password);

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_password_the_store_works()
    {
        await using var store = await RedisTokenStore.ConnectAsync(
            new TokenStoreOptions(Redis.Address, Password), TimeProvider.System, CancellationToken.None);
        var hash = TokenHash.Of(AccessToken.Mint());

        await store.StoreAsync(hash, new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), DateTimeOffset.UtcNow.AddMinutes(1)), CancellationToken.None);

        Assert.True(await store.PingAsync(CancellationToken.None));
        Assert.NotNull((await store.RedeemAsync(hash, CancellationToken.None)).Record);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong password")]
    public async Task Without_the_right_password_the_store_refuses_to_start_and_says_what_to_fix(string? password)
    {
        var refused = await Assert.ThrowsAsync<TokenStoreRefusedException>(() => RedisTokenStore.ConnectAsync(
            new TokenStoreOptions(Redis.Address, password) { ConnectTimeout = TimeSpan.FromSeconds(2) },
            TimeProvider.System,
            CancellationToken.None));

        Assert.Equal(TokenStoreRefusal.AuthenticationFailed, refused.Refusal);
        Assert.Contains("--redis-password", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Redis.Address, refused.Message, StringComparison.Ordinal);
        if (password is not null)
        {
            Assert.DoesNotContain(password, refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_password_never_appears_in_the_options_text()
    {
        var options = new TokenStoreOptions(Redis.Address, Password);

        Assert.DoesNotContain(Password, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("password: set", options.ToString(), StringComparison.Ordinal);
    }
}
