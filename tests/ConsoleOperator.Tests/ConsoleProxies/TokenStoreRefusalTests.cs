using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Controllers.ConsoleProxies;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleOperator.Kube.Runtime.Controllers;
using TestKit.Network;
using TestKit.Polling;
using TestKit.Processes;
using TestKit.Tls;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleProxies;

/// <summary>
/// A token store that answers but refuses the ConsoleProxy's settings (real redis-server and redis-sentinel
/// processes): each refusal is its own TokenStoreReady reason with a message naming what to fix and never the
/// password, a Warning event says so once, the proxy is re-checked at the slow interval (not retried like an outage),
/// and fixing the Secret or the spec turns the condition True again.
/// </summary>
public sealed class TokenStoreRefusalTests
{
    private const string Password = "the-right-password-4c1d";
    private const string WrongPassword = "not-the-password-93ab";
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_wrong_password_is_AuthenticationFailed_naming_the_secret_and_key_until_the_secret_is_fixed()
    {
        await using var redis = await RedisServer.StartAsync(Password);
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await StartHarnessAsync(cluster);
        await CreateSecretAsync(cluster, "corp-redis", "auth", WrongPassword);
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address, new SecretKeyReference { Name = "corp-redis", Key = "auth" }));

        Assert.Equal(ReconcileResult.RequeueAfter(Recheck), await harness.ReconcileAsync());

        var refused = await ConditionAsync(cluster);
        Assert.Equal((ConditionStatus.False, ConsoleProxyReasons.AuthenticationFailed), (refused.Status, refused.Reason));
        Assert.Contains($"Secret {ProxyTestCluster.Namespace}/corp-redis key auth", refused.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, refused.Message, StringComparison.Ordinal);
        await AssertWarningAsync(cluster, ConsoleProxyReasons.AuthenticationFailed);

        await SetSecretAsync(cluster, "corp-redis", "auth", Password);
        await AssertReadyAgainAsync(cluster, harness);
    }

    [Fact]
    public async Task A_master_name_the_sentinels_do_not_monitor_is_SentinelMasterUnknown_listing_the_names_they_do()
    {
        await using var sentinels = await RedisSentinelSet.StartAsync(Password);
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await StartHarnessAsync(cluster);
        await CreateSecretAsync(cluster, "ha-redis", "password", Password);
        await cluster.CreateProxyAsync(ProxySpecs.Managed() with
        {
            TokenStore = new TokenStoreSpec
            {
                External = new ExternalTokenStoreSpec
                {
                    Sentinel = new RedisSentinelSpec { MasterName = "no-such-master", Addresses = [.. sentinels.Sentinels.Select(sentinel => sentinel.Address)] },
                    PasswordSecretRef = new SecretKeyReference { Name = "ha-redis", Key = "password" },
                },
            },
        });

        Assert.Equal(ReconcileResult.RequeueAfter(Recheck), await harness.ReconcileAsync());

        var refused = await ConditionAsync(cluster);
        Assert.Equal((ConditionStatus.False, ConsoleProxyReasons.SentinelMasterUnknown), (refused.Status, refused.Reason));
        Assert.Contains("no-such-master", refused.Message, StringComparison.Ordinal);
        Assert.Contains(sentinels.MasterName, refused.Message, StringComparison.Ordinal);
        Assert.Contains("spec.tokenStore.external.sentinel.masterName", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, refused.Message, StringComparison.Ordinal);
        await AssertWarningAsync(cluster, ConsoleProxyReasons.SentinelMasterUnknown);

        await cluster.UpdateSpecAsync("console", spec => spec with
        {
            TokenStore = new TokenStoreSpec { External = spec.TokenStore!.External! with { Sentinel = spec.TokenStore.External.Sentinel! with { MasterName = sentinels.MasterName } } },
        });
        await AssertReadyAgainAsync(cluster, harness);
    }

    [Fact]
    public async Task A_CA_that_did_not_sign_the_servers_certificate_is_TlsVerificationFailed_naming_the_CA_secret_until_it_is_fixed()
    {
        using var serverAuthority = TestCertificateAuthority.Create("refusal-test-redis-ca", TimeProvider.System);
        using var otherAuthority = TestCertificateAuthority.Create("refusal-test-other-ca", TimeProvider.System);
        var directory = Directory.CreateTempSubdirectory("operator-redis-refusal-").FullName;
        try
        {
            var (redisServer, tlsPort) = await RedisServer.StartWithTlsAsync(Password, serverAuthority, directory);
            await using var redis = redisServer;
            await using var cluster = await ProxyTestCluster.StartAsync();
            await using var harness = await StartHarnessAsync(cluster);
            await CreateSecretAsync(cluster, "corp-redis", "auth", Password);
            await CreateSecretAsync(cluster, "corp-redis-ca", "ca.crt", otherAuthority.CertificatePem);
            await cluster.CreateProxyAsync(ProxySpecs.Managed() with
            {
                TokenStore = new TokenStoreSpec
                {
                    External = new ExternalTokenStoreSpec
                    {
                        Address = $"127.0.0.1:{tlsPort}",
                        PasswordSecretRef = new SecretKeyReference { Name = "corp-redis", Key = "auth" },
                        CaSecretRef = new SecretKeyReference { Name = "corp-redis-ca", Key = "ca.crt" },
                    },
                },
            });

            Assert.Equal(ReconcileResult.RequeueAfter(Recheck), await harness.ReconcileAsync());

            var refused = await ConditionAsync(cluster);
            Assert.Equal((ConditionStatus.False, ConsoleProxyReasons.TlsVerificationFailed), (refused.Status, refused.Reason));
            Assert.Contains($"Secret {ProxyTestCluster.Namespace}/corp-redis-ca key ca.crt", refused.Message, StringComparison.Ordinal);
            Assert.Contains("spec.tokenStore.external.caSecretRef", refused.Message, StringComparison.Ordinal);
            Assert.Contains("is not signed by the CA given (CN=refusal-test-other-ca", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, refused.Message, StringComparison.Ordinal);
            await AssertWarningAsync(cluster, ConsoleProxyReasons.TlsVerificationFailed);

            await SetSecretAsync(cluster, "corp-redis-ca", "ca.crt", serverAuthority.CertificatePem);
            await AssertReadyAgainAsync(cluster, harness);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_server_that_wants_a_client_certificate_the_proxy_does_not_name_is_TlsVerificationFailed_naming_the_field()
    {
        using var authority = TestCertificateAuthority.Create("refusal-test-mtls-ca", TimeProvider.System);
        var directory = Directory.CreateTempSubdirectory("operator-redis-mtls-").FullName;
        try
        {
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
            await using var cluster = await ProxyTestCluster.StartAsync();
            await using var harness = await StartHarnessAsync(cluster);
            await CreateSecretAsync(cluster, "corp-redis", "auth", Password);
            await CreateSecretAsync(cluster, "corp-redis-ca", "ca.crt", authority.CertificatePem);
            await cluster.CreateProxyAsync(ProxySpecs.Managed() with
            {
                TokenStore = new TokenStoreSpec
                {
                    External = new ExternalTokenStoreSpec
                    {
                        Address = $"127.0.0.1:{tlsPort}",
                        PasswordSecretRef = new SecretKeyReference { Name = "corp-redis", Key = "auth" },
                        CaSecretRef = new SecretKeyReference { Name = "corp-redis-ca", Key = "ca.crt" },
                    },
                },
            });

            Assert.Equal(ReconcileResult.RequeueAfter(Recheck), await harness.ReconcileAsync());

            var refused = await ConditionAsync(cluster);
            Assert.Equal((ConditionStatus.False, ConsoleProxyReasons.TlsVerificationFailed), (refused.Status, refused.Reason));
            Assert.Contains("asks for a client certificate", refused.Message, StringComparison.Ordinal);
            Assert.Contains("spec.tokenStore.external.clientCertificateSecretName", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_stopped_redis_stays_Unreachable_not_a_refusal()
    {
        await using var redis = await RedisServer.StartAsync(Password);
        await using var cluster = await ProxyTestCluster.StartAsync();
        await using var harness = await StartHarnessAsync(cluster);
        await CreateSecretAsync(cluster, "corp-redis", "auth", Password);
        await cluster.CreateProxyAsync(ProxySpecs.External(redis.Address, new SecretKeyReference { Name = "corp-redis", Key = "auth" }));
        await harness.ReconcileAsync();
        Assert.Equal(ConditionStatus.True, (await ConditionAsync(cluster)).Status);

        await redis.StopAsync();
        await harness.ReconcileAsync();

        Assert.Equal(ConsoleProxyReasons.Unreachable, (await ConditionAsync(cluster)).Reason);
    }

    private static Task<ProxyControllerHarness> StartHarnessAsync(ProxyTestCluster cluster) =>
        ProxyControllerHarness.StartAsync(cluster, ProxyControllerHarness.DefaultOptions with { RecheckInterval = Recheck });

    private static async Task AssertReadyAgainAsync(ProxyTestCluster cluster, ProxyControllerHarness harness)
    {
        Assert.Equal(ReconcileResult.RequeueAfter(Recheck), await harness.ReconcileAsync());
        var ready = await ConditionAsync(cluster);
        Assert.Equal((ConditionStatus.True, ConsoleProxyReasons.Reachable), (ready.Status, ready.Reason));
        await AssertEventAsync(cluster, "Normal", ConsoleProxyReasons.TokenStoreReachable);
    }

    private static Task AssertWarningAsync(ProxyTestCluster cluster, string reason) => AssertEventAsync(cluster, "Warning", reason);

    private static Task AssertEventAsync(ProxyTestCluster cluster, string type, string reason) =>
        Poll.UntilAsync(
            async () => (await cluster.EventsAsync()).Any(e => (string?)e["reason"] == reason && (string?)e["type"] == type),
            $"a {type} event with reason {reason}");

    private static ResourceClient<V1Secret> Secrets(ProxyTestCluster cluster) => cluster.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>());

    private static Task<V1Secret> CreateSecretAsync(ProxyTestCluster cluster, string name, string key, string value) =>
        Secrets(cluster).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ProxyTestCluster.Namespace },
            Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(value) },
        });

    private static Task<V1Secret> SetSecretAsync(ProxyTestCluster cluster, string name, string key, string value) =>
        Secrets(cluster).MergePatchAsync(name, new JsonObject { ["data"] = new JsonObject { [key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) } });

    private static async Task<V1Condition> ConditionAsync(ProxyTestCluster cluster) =>
        StatusConditions.Find((await cluster.GetProxyAsync()).Status?.Conditions, ConsoleProxyConditions.TokenStoreReady)
            ?? throw new InvalidOperationException("no TokenStoreReady condition");
}
