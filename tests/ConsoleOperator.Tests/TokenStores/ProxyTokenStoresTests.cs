using System.Globalization;
using System.Net;
using System.Text;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.Network;
using TestKit.Polling;
using TestKit.Processes;
using TestKit.Tls;
using ConsoleOperator.Tests.ConsoleTokens;
using ConsoleOperator.TokenStores;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;
using k8s.Models;

namespace ConsoleOperator.Tests.TokenStores;

public sealed class ProxyTokenStoresTests : IAsyncLifetime
{
    private const string Password = "0123456789abcdef";

    private TokenCluster _cluster = null!;
    private LoopbackAddressResolver _addresses = null!;
    private string? _externalAddress;

    public async Task InitializeAsync()
    {
        _addresses = new LoopbackAddressResolver(() => _externalAddress ?? _cluster.Redis.Address);
        _cluster = await TokenCluster.StartAsync(redisPassword: Password, addresses: _addresses);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_managed_store_is_reached_at_its_service_with_the_generated_password_and_the_proxys_key_prefix()
    {
        await CreateSecretAsync("edge-redis-auth", "password", Password);
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() });

        var store = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);

        Assert.Equal(["edge-redis.consoles.svc:6379"], _addresses.Asked);
        Assert.Equal(Password, store.Options.Password);
        Assert.Equal("consoleproxy:consoles:edge:", store.Options.KeyPrefix);
        Assert.True(await store.Store.PingAsync(CancellationToken.None));
        await store.Store.StoreAsync(
            ConsoleProxy.Tokens.Minting.TokenHash.Of("abc"),
            new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), _cluster.Clock.GetUtcNow().AddMinutes(1)),
            CancellationToken.None);
        Assert.Equal("1", await _cluster.Redis.CommandAsync("EXISTS", "consoleproxy:consoles:edge:token:" + ConsoleProxy.Tokens.Minting.TokenHash.Of("abc").Hex));
    }

    [Fact]
    public async Task An_external_store_behind_sentinel_is_reached_through_the_sentinels_as_the_user_its_secret_names()
    {
        await using var sentinels = await RedisSentinelSet.StartAsync(SentinelDeploymentTest.Password);
        await CreateSecretAsync("ha-redis", "password", SentinelDeploymentTest.Password);
        await CreateSecretAsync("ha-redis-user", "user", "default");
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec
        {
            External = new ExternalTokenStoreSpec
            {
                Sentinel = new RedisSentinelSpec { MasterName = sentinels.MasterName, Addresses = [.. sentinels.Sentinels.Select(sentinel => sentinel.Address)] },
                PasswordSecretRef = new SecretKeyReference { Name = "ha-redis", Key = "password" },
                UsernameSecretRef = new SecretKeyReference { Name = "ha-redis-user", Key = "user" },
            },
        });

        var store = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);
        var hash = ConsoleProxy.Tokens.Minting.TokenHash.Of("through-sentinel");
        await store.Store.StoreAsync(hash, new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), _cluster.Clock.GetUtcNow().AddMinutes(1)), CancellationToken.None);

        Assert.Empty(_addresses.Asked);
        Assert.Equal(("default", sentinels.MasterName), (store.Options.User, store.Options.Sentinel?.MasterName));
        Assert.Equal("1", await (await sentinels.PrimaryAsync()).CommandAsync("EXISTS", "consoleproxy:consoles:edge:token:" + hash.Hex));
    }

    [Fact]
    public async Task An_external_store_takes_its_password_from_the_referenced_secret_key()
    {
        await CreateSecretAsync("corp-redis", "auth", Password);
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec
        {
            External = new ExternalTokenStoreSpec { Address = "redis.corp.example:6380", PasswordSecretRef = new SecretKeyReference { Name = "corp-redis", Key = "auth" } },
        });

        var store = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);

        Assert.Equal(["redis.corp.example:6380"], _addresses.Asked);
        Assert.True(await store.Store.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_external_TLS_store_is_reached_with_the_CA_and_the_client_certificate_from_their_Secrets()
    {
        using var authority = TestCertificateAuthority.Create("operator-test-redis-ca", TimeProvider.System);
        var directory = Directory.CreateTempSubdirectory("operator-redis-tls-").FullName;
        try
        {
            // A Redis that speaks only TLS to clients whose certificate its CA signed.
            var (certificateFile, keyFile) = authority.IssueServer("127.0.0.1", "localhost").Write(directory, "server");
            var tlsPort = FreeTcpPort.Next();
            await using var redis = await RedisServer.StartAsync(Password,
            [
                "--tls-port", tlsPort.ToString(CultureInfo.InvariantCulture),
                "--tls-cert-file", certificateFile,
                "--tls-key-file", keyFile,
                "--tls-ca-cert-file", authority.WriteCertificate(Path.Combine(directory, "ca.crt")),
                "--tls-auth-clients", "yes",
            ]);
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, tlsPort, TimeSpan.FromSeconds(10), () => $"redis-server's tls-port {tlsPort}");
            _externalAddress = $"127.0.0.1:{tlsPort}";
            var client = authority.IssueClient("console-operator");
            await CreateSecretAsync("corp-redis", "auth", Password);
            await CreateSecretAsync("corp-redis-ca", "ca.crt", authority.CertificatePem);
            await _cluster.Secrets.InNamespace(TokenCluster.Namespace).CreateAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "corp-redis-client", NamespaceProperty = TokenCluster.Namespace },
                Type = "kubernetes.io/tls",
                Data = new Dictionary<string, byte[]> { ["tls.crt"] = Encoding.UTF8.GetBytes(client.CertificatePem), ["tls.key"] = Encoding.UTF8.GetBytes(client.KeyPem) },
            });
            var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec
            {
                External = new ExternalTokenStoreSpec
                {
                    Address = "redis.corp.example:6380",
                    PasswordSecretRef = new SecretKeyReference { Name = "corp-redis", Key = "auth" },
                    CaSecretRef = new SecretKeyReference { Name = "corp-redis-ca", Key = "ca.crt" },
                    ClientCertificateSecretName = "corp-redis-client",
                },
            });

            var store = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);
            var hash = ConsoleProxy.Tokens.Minting.TokenHash.Of("over-tls");
            await store.Store.StoreAsync(hash, new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), _cluster.Clock.GetUtcNow().AddMinutes(1)), CancellationToken.None);

            Assert.True(store.Options.UsesTls);
            Assert.DoesNotContain("PRIVATE KEY", store.Options.ToString(), StringComparison.Ordinal);
            // Read back on the plain port, which only the test uses.
            Assert.Equal("1", await redis.CommandAsync("EXISTS", "consoleproxy:consoles:edge:token:" + hash.Hex));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_client_certificate_Secret_is_reported_on_the_status_naming_it_and_what_it_must_hold()
    {
        await CreateSecretAsync("corp-redis", "auth", Password);
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec
        {
            External = new ExternalTokenStoreSpec
            {
                Address = "redis.corp.example:6380",
                PasswordSecretRef = new SecretKeyReference { Name = "corp-redis", Key = "auth" },
                ClientCertificateSecretName = "corp-redis-client",
            },
        });

        var health = await new TokenStoreProbe(_cluster.Stores).CheckAsync(proxy, TokenStoreEndpoint.For(proxy), CancellationToken.None);

        Assert.Equal((ConditionStatus.False, ConsoleProxyReasons.TlsSecretMissing), (health.Status, health.Reason));
        Assert.Contains("consoles/corp-redis-client does not exist", health.Message, StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/tls Secret with tls.crt and tls.key", health.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_password_secret_is_a_configuration_error_naming_it()
    {
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() });

        var error = await Assert.ThrowsAsync<TokenStoreConfigurationException>(() => _cluster.Stores.GetAsync(proxy, CancellationToken.None));

        Assert.Contains("consoles/edge-redis-auth does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_proxy_shares_one_connection_and_a_settings_change_replaces_and_closes_it()
    {
        await CreateSecretAsync("edge-redis-auth", "password", Password);
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() });
        var first = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);
        Assert.Same(first, await _cluster.Stores.GetAsync(proxy, CancellationToken.None));

        // A new generation with the same store settings keeps the connection.
        var relabelled = await _cluster.Proxies.InNamespace(TokenCluster.Namespace).ReplaceAsync(proxy with { Spec = proxy.Spec with { Replicas = 3 } });
        Assert.Same(first, await _cluster.Stores.GetAsync(relabelled, CancellationToken.None));

        // Another store (external, no password: AUTH-less connection refused by this Redis) is a new connection.
        var moved = await _cluster.Proxies.InNamespace(TokenCluster.Namespace).ReplaceAsync(relabelled with
        {
            Spec = relabelled.Spec with { TokenStore = new TokenStoreSpec { External = new ExternalTokenStoreSpec { Address = "redis.other.example:6379" } } },
        });
        var second = await _cluster.Stores.GetAsync(moved, CancellationToken.None);

        Assert.NotSame(first, second);
        Assert.Same(second, _cluster.Stores.Find(second.Proxy));
        Assert.Null(second.Options.Password);
        Assert.NotEqual(first.Epoch, second.Epoch);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.Store.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task After_an_invalidation_a_rotated_password_is_picked_up()
    {
        await CreateSecretAsync("edge-redis-auth", "password", "stale-password");
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() });
        var stale = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);
        Assert.False(await stale.Store.PingAsync(CancellationToken.None));

        await _cluster.Secrets.InNamespace(TokenCluster.Namespace).DeleteAsync("edge-redis-auth");
        await CreateSecretAsync("edge-redis-auth", "password", Password);
        Assert.Same(stale, await _cluster.Stores.GetAsync(proxy, CancellationToken.None));
        _cluster.Stores.Invalidate(stale);
        var fresh = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);

        Assert.NotSame(stale, fresh);
        Assert.True(await fresh.Store.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_monitor_closes_the_store_of_a_proxy_that_is_gone()
    {
        await CreateSecretAsync("edge-redis-auth", "password", Password);
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() });
        var store = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);

        await _cluster.Proxies.InNamespace(TokenCluster.Namespace).DeleteAsync(TokenCluster.ProxyName);
        await Poll.UntilAsync(() => _cluster.ProxyInformer.Cache.Get(TokenCluster.Namespace, TokenCluster.ProxyName) is null, "the proxy left the cache");
        await _cluster.Monitor.CheckAllAsync(CancellationToken.None);

        Assert.Null(_cluster.Stores.Find(store.Proxy));
        Assert.Empty(_cluster.Stores.Open);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.Store.PingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_sentinel_tells_a_store_that_lost_its_data_from_one_that_kept_it()
    {
        await CreateSecretAsync("edge-redis-auth", "password", Password);
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() });
        var store = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);
        var epoch = store.Epoch;

        Assert.True(await TokenStoreSentinel.CheckAsync(store.Store, _cluster.Clock, CancellationToken.None));
        Assert.Empty(await _cluster.Monitor.CheckAllAsync(CancellationToken.None));
        Assert.Equal(epoch, store.Epoch);

        await _cluster.Redis.CommandAsync("FLUSHALL");

        Assert.Equal([store.Proxy], await _cluster.Monitor.CheckAllAsync(CancellationToken.None));
        Assert.NotEqual(epoch, store.Epoch);
        Assert.Equal([store.Proxy], _cluster.LostStores);
        Assert.True(await TokenStoreSentinel.CheckAsync(store.Store, _cluster.Clock, CancellationToken.None));
    }

    [Fact]
    public async Task The_sentinel_cannot_be_redeemed_and_is_renewed_before_it_runs_out()
    {
        await CreateSecretAsync("edge-redis-auth", "password", Password);
        var proxy = await _cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec { Managed = new ManagedTokenStoreSpec() });
        var store = await _cluster.Stores.GetAsync(proxy, CancellationToken.None);
        var key = "consoleproxy:consoles:edge:token:" + TokenStoreSentinel.Hash.Hex;
        var written = await _cluster.Redis.CommandAsync("HGET", key, "expires_at");

        _cluster.Clock.Advance(TokenStoreSentinel.Lifetime / 2 + TimeSpan.FromMinutes(1));
        Assert.True(await TokenStoreSentinel.CheckAsync(store.Store, _cluster.Clock, CancellationToken.None));

        Assert.NotEqual(written, await _cluster.Redis.CommandAsync("HGET", key, "expires_at"));
        Assert.Equal("sentinel.invalid", await _cluster.Redis.CommandAsync("HGET", key, "host"));
        Assert.Equal("1", await _cluster.Redis.CommandAsync("HGET", key, "single_use"));
    }

    private Task<V1Secret> CreateSecretAsync(string name, string key, string value) =>
        _cluster.Secrets.InNamespace(TokenCluster.Namespace).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = TokenCluster.Namespace },
            Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(value) },
        });
}
