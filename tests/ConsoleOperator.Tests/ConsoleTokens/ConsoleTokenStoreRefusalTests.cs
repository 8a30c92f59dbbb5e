using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.Network;
using TestKit.Polling;
using TestKit.Processes;
using TestKit.Tls;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>
/// A token store that answers but refuses the ConsoleProxy's settings, seen from a ConsoleToken (real redis-server and
/// redis-sentinel processes): the token waits Pending with the refusal's own reason, the same one the ConsoleProxy's
/// TokenStoreReady gives (AuthenticationFailed, SentinelMasterUnknown, TlsVerificationFailed), a message naming what to
/// fix and never the password; not TokenStoreUnreachable, which stays for a store that is away. Fixing it mints the token.
/// </summary>
public sealed class ConsoleTokenStoreRefusalTests
{
    private const string Password = "the-right-password-7e21";
    private const string WrongPassword = "not-the-password-5b0c";

    [Fact]
    public async Task A_wrong_password_is_AuthenticationFailed_naming_the_secret_until_it_is_fixed_then_the_token_is_minted()
    {
        await using var cluster = await TokenCluster.StartAsync(redisPassword: Password);
        await CreateSecretAsync(cluster, "corp-redis", "auth", WrongPassword);
        await cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec
        {
            External = new ExternalTokenStoreSpec { Address = cluster.Redis.Address, PasswordSecretRef = new SecretKeyReference { Name = "corp-redis", Key = "auth" } },
        });
        await cluster.CreateTokenAsync("vm-1");

        Assert.True((await cluster.ReconcileAsync("vm-1")).Requeue);

        var (token, store) = await StoreConditionAsync(cluster, "vm-1");
        Assert.Equal(ConsoleTokenPhase.Pending, token.Status?.Phase);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.AuthenticationFailed), (store.Status, store.Reason));
        Assert.Equal(ConsoleTokenReasons.AuthenticationFailed, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Reason);
        Assert.Contains($"Secret {TokenCluster.Namespace}/corp-redis key auth", store.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", store.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, store.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, store.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.TokenKeysAsync());

        await SetSecretAsync(cluster, "corp-redis", "auth", Password);
        await Poll.UntilAsync(async () => !(await cluster.ReconcileAsync("vm-1")).Requeue, "the token was minted once the password was fixed", TimeSpan.FromSeconds(30));
        var minted = await cluster.GetTokenAsync("vm-1");
        Assert.Equal(ConsoleTokenPhase.Active, minted.Status?.Phase);
        Assert.Equal(ConditionStatus.True, StatusConditions.Find(minted.Status?.Conditions, ConsoleTokenConditions.TokenStoreReachable)?.Status);
    }

    [Fact]
    public async Task A_master_name_the_sentinels_do_not_monitor_is_SentinelMasterUnknown_listing_the_names_they_do()
    {
        await using var sentinels = await RedisSentinelSet.StartAsync(Password);
        await using var cluster = await TokenCluster.StartAsync();
        await CreateSecretAsync(cluster, "ha-redis", "password", Password);
        await cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec
        {
            External = new ExternalTokenStoreSpec
            {
                Sentinel = new RedisSentinelSpec { MasterName = "no-such-master", Addresses = [.. sentinels.Sentinels.Select(sentinel => sentinel.Address)] },
                PasswordSecretRef = new SecretKeyReference { Name = "ha-redis", Key = "password" },
            },
        });
        await cluster.CreateTokenAsync("vm-2");

        Assert.True((await cluster.ReconcileAsync("vm-2")).Requeue);

        var (token, store) = await StoreConditionAsync(cluster, "vm-2");
        Assert.Equal(ConsoleTokenPhase.Pending, token.Status?.Phase);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.SentinelMasterUnknown), (store.Status, store.Reason));
        Assert.Contains("no-such-master", store.Message, StringComparison.Ordinal);
        Assert.Contains(sentinels.MasterName, store.Message, StringComparison.Ordinal);
        Assert.Contains("spec.tokenStore.external.sentinel.masterName", store.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, store.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CA_that_did_not_sign_the_servers_certificate_is_TlsVerificationFailed_naming_the_CA_secret()
    {
        using var serverAuthority = TestCertificateAuthority.Create("token-refusal-redis-ca", TimeProvider.System);
        using var otherAuthority = TestCertificateAuthority.Create("token-refusal-other-ca", TimeProvider.System);
        var directory = Directory.CreateTempSubdirectory("operator-token-refusal-").FullName;
        try
        {
            var (redisServer, tlsPort) = await RedisServer.StartWithTlsAsync(Password, serverAuthority, directory);
            await using var redis = redisServer;
            await using var cluster = await TokenCluster.StartAsync();
            await CreateSecretAsync(cluster, "corp-redis", "auth", Password);
            await CreateSecretAsync(cluster, "corp-redis-ca", "ca.crt", otherAuthority.CertificatePem);
            await cluster.CreateProxyAsync(tokenStore: new TokenStoreSpec
            {
                External = new ExternalTokenStoreSpec
                {
                    Address = $"127.0.0.1:{tlsPort}",
                    PasswordSecretRef = new SecretKeyReference { Name = "corp-redis", Key = "auth" },
                    CaSecretRef = new SecretKeyReference { Name = "corp-redis-ca", Key = "ca.crt" },
                },
            });
            await cluster.CreateTokenAsync("vm-3");

            Assert.True((await cluster.ReconcileAsync("vm-3")).Requeue);

            var (token, store) = await StoreConditionAsync(cluster, "vm-3");
            Assert.Equal(ConsoleTokenPhase.Pending, token.Status?.Phase);
            Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.TlsVerificationFailed), (store.Status, store.Reason));
            Assert.Contains($"Secret {TokenCluster.Namespace}/corp-redis-ca key ca.crt", store.Message, StringComparison.Ordinal);
            Assert.Contains("is not signed by the CA given (CN=token-refusal-other-ca", store.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, store.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(ConsoleTokenResource Token, V1Condition Store)> StoreConditionAsync(TokenCluster cluster, string name)
    {
        var token = await cluster.GetTokenAsync(name);
        var store = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.TokenStoreReachable)
            ?? throw new InvalidOperationException($"ConsoleToken {name} has no TokenStoreReachable condition: {token.Status}");
        return (token, store);
    }

    private static Task<V1Secret> CreateSecretAsync(TokenCluster cluster, string name, string key, string value) =>
        cluster.Secrets.InNamespace(TokenCluster.Namespace).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = TokenCluster.Namespace },
            Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(value) },
        });

    private static Task<V1Secret> SetSecretAsync(TokenCluster cluster, string name, string key, string value) =>
        cluster.Secrets.InNamespace(TokenCluster.Namespace).MergePatchAsync(
            name, new JsonObject { ["data"] = new JsonObject { [key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) } });
}
