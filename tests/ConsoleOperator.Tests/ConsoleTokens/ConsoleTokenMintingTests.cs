using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TargetSecurity;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.Polling;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using k8s.Models;

namespace ConsoleOperator.Tests.ConsoleTokens;

public sealed class ConsoleTokenMintingTests : IAsyncLifetime
{
    private TokenCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TokenCluster.StartAsync();
        await _cluster.CreateProxyAsync(publicUrl: "https://console.example.com/console/");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_VNC_password_reaches_the_store_only_sealed_with_the_proxys_key_and_bound_to_the_token()
    {
        const string Password = "vm7-Secret!";
        var proxy = await _cluster.CreateProxyAsync(name: "secured-edge", targetSecurity: new TargetSecuritySpec { AuthSchemes = ["vnc", "none"] });
        var keys = VncPasswordKeys.KeepOrGenerate(null);
        // What the ConsoleProxy controller applies beside the proxy pods (that controller does not run here).
        await _cluster.Secrets.InNamespace(TokenCluster.Namespace).CreateAsync(VncPasswordKeySecretBuilder.Build(proxy, keys)!);
        await _cluster.Secrets.InNamespace(TokenCluster.Namespace).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "vm-7-vnc", NamespaceProperty = TokenCluster.Namespace },
            Data = new Dictionary<string, byte[]> { ["password"] = System.Text.Encoding.UTF8.GetBytes(Password) },
        });
        await _cluster.CreateTokenAsync("vm-7", proxyName: "secured-edge", vncPassword: new SecretKeyReference { Name = "vm-7-vnc", Key = "password" }, serverName: "compute-7.example.net", vncUsername: "vm7-admin", maxSessions: 2);

        await _cluster.ReconcileAsync("vm-7");

        Assert.Equal(ConsoleTokenPhase.Active, (await _cluster.GetTokenAsync("vm-7")).Status?.Phase);
        var minted = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-7"))!, out var problem);
        Assert.True(minted is not null, problem);
        var key = new ConsoleProxyNames("secured-edge", TokenCluster.Namespace).KeyPrefix + "token:" + minted.Hash.Hex;
        var values = (await _cluster.Redis.CommandAsync("HGETALL", key))!.Split('\n');
        var sealedPassword = await _cluster.Redis.CommandAsync("HGET", key, "vnc_password");
        Assert.NotNull(sealedPassword);
        Assert.True(VncPasswordSeal.TryOpen(sealedPassword, minted.Hash, keys.Open("test")!, out var opened, out var error), error);
        Assert.Equal(Password, opened);
        // Bound to this token: the same value under another token's hash does not open.
        Assert.False(VncPasswordSeal.TryOpen(sealedPassword, TokenHash.Of("another-token"), keys.Open("test")!, out _, out _));
        Assert.DoesNotContain(values, value => value.Contains(Password, StringComparison.Ordinal));
        // The name the VNC server's certificate must carry travels with the record.
        Assert.Equal("compute-7.example.net", await _cluster.Redis.CommandAsync("HGET", key, "server_name"));
        // The user name VeNCrypt X509Plain sends with the password is a login name, stored in clear beside it.
        Assert.Equal("vm7-admin", await _cluster.Redis.CommandAsync("HGET", key, "vnc_username"));
        // spec.maxSessions reaches the proxies as the record's session limit.
        Assert.Equal("2", await _cluster.Redis.CommandAsync("HGET", key, "max_sessions"));
    }

    [Fact]
    public async Task A_serial_token_opens_the_terminal_page_and_its_record_says_serial()
    {
        await _cluster.CreateProxyAsync(name: "serial-edge", publicUrl: "https://console.example.com/console/", kinds: ["vnc", "serial"], serialAllowedTargets: ["127.0.0.1/32:10000-20000"]);
        await _cluster.CreateTokenAsync("vm-serial", port: 10001, proxyName: "serial-edge", kind: "serial");

        await _cluster.ReconcileAsync("vm-serial");

        var token = await _cluster.GetTokenAsync("vm-serial");
        var minted = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-serial"))!, out var problem);
        Assert.True(minted is not null, problem);
        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        Assert.StartsWith("https://console.example.com/console/serial.html?", minted.Url, StringComparison.Ordinal);
        Assert.Equal("https://console.example.com/console/serial.html", token.Status?.Url);
        Assert.Equal("serial", await _cluster.Redis.CommandAsync("HGET", new ConsoleProxyNames("serial-edge", TokenCluster.Namespace).KeyPrefix + "token:" + minted.Hash.Hex, "kind"));
    }

    [Fact]
    public async Task A_screenshot_only_token_gets_the_image_URL_and_a_record_an_old_proxy_cannot_open_a_session_with()
    {
        await _cluster.CreateProxyAsync(name: "thumbs", publicUrl: "https://console.example.com/console/");
        await _cluster.CreateTokenAsync("vm-thumbnail", proxyName: "thumbs", screenshotOnly: true);

        await _cluster.ReconcileAsync("vm-thumbnail");

        var token = await _cluster.GetTokenAsync("vm-thumbnail");
        var minted = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-thumbnail"))!, out var problem);
        Assert.True(minted is not null, problem);
        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        Assert.Equal("https://console.example.com/console/screenshot?token=" + Uri.EscapeDataString(minted.Token), minted.Url);
        Assert.Equal("https://console.example.com/console/screenshot", token.Status?.Url);

        // The kind field, not a new one: a proxy from before screenshot-only tokens refuses a kind it cannot read.
        Assert.Equal("vnc-screenshot", await _cluster.Redis.CommandAsync("HGET", new ConsoleProxyNames("thumbs", TokenCluster.Namespace).KeyPrefix + "token:" + minted.Hash.Hex, "kind"));
    }

    [Fact]
    public async Task A_valid_token_gets_a_secret_a_redis_entry_and_an_active_status()
    {
        await _cluster.CreateTokenAsync("vm-1", ttlSeconds: 900, singleUse: false);

        var result = await _cluster.ReconcileAsync("vm-1");

        var token = await _cluster.GetTokenAsync("vm-1");
        var secret = await _cluster.GetSecretAsync("vm-1");
        Assert.NotNull(secret);
        var minted = ConsoleTokenSecret.Read(secret, out var problem);
        Assert.True(minted is not null, problem);
        Assert.Equal(AccessToken.TextLength, minted.Token.Length);
        Assert.Equal($"https://console.example.com/console/vnc_lite.html?path=console%2Fwebsockify%3Ftoken%3D{minted.Token}", minted.Url);
        Assert.Equal(_cluster.Clock.GetUtcNow().AddSeconds(900), minted.ExpiresAt);
        Assert.True(secret.Immutable);
        Assert.Equal([ConsoleTokenControllerOptions.DefaultFinalizer], secret.Metadata.Finalizers);
        var owner = Assert.Single(secret.Metadata.OwnerReferences!);
        Assert.Equal((token.Metadata.Uid, "ConsoleToken", true), (owner.Uid, owner.Kind, owner.Controller));

        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        Assert.Equal(minted.ExpiresAt, token.Status?.ExpiresAt);
        Assert.Equal("vm-1-console", token.Status?.SecretName);
        Assert.Equal("https://console.example.com/console/vnc_lite.html", token.Status?.Url);
        Assert.Equal(token.Metadata.Generation, token.Status?.ObservedGeneration);
        Assert.Equal(ConditionStatus.True, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.Ready)?.Status);
        Assert.Equal(ConditionStatus.True, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.TokenStoreReachable)?.Status);
        Assert.Contains(ConsoleTokenControllerOptions.DefaultFinalizer, token.Metadata.Finalizers ?? []);
        Assert.Equal(TimeSpan.FromSeconds(900), result.RequeueAfterDelay);

        // Redis holds the hash (never the token) with the target, owner, instance and expiry.
        var key = _cluster.KeyPrefix + "token:" + minted.Hash.Hex;
        Assert.Equal([key], await _cluster.TokenKeysAsync());
        var fields = (await _cluster.Redis.CommandAsync("HGETALL", key))!.Split('\n');
        var record = Enumerable.Range(0, fields.Length / 2).ToDictionary(i => fields[2 * i], i => fields[(2 * i) + 1]);
        Assert.Equal("127.0.0.1", record["host"]);
        Assert.Equal("5901", record["port"]);
        Assert.Equal("consoles/vm-1", record["owner"]);
        Assert.Equal("6f1c3a52-1f7e-4c1b-9f7a-0d4f2b8e5a10", record["instance"]);
        Assert.Equal(minted.ExpiresAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), record["expires_at"]);
        Assert.DoesNotContain(minted.Token, string.Join('\n', fields));
        var ttl = long.Parse((await _cluster.Redis.CommandAsync("PTTL", key))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, 900_000);

        // Nothing in status or events carries the raw token.
        Assert.DoesNotContain(minted.Token, token.Status!.Url!);
        await _cluster.WaitForEventAsync("vm-1", ConsoleTokenReasons.Minted);
    }

    [Fact]
    public async Task The_default_lifetime_comes_from_the_proxy()
    {
        await _cluster.CreateTokenAsync("vm-default");

        await _cluster.ReconcileAsync("vm-default");

        var token = await _cluster.GetTokenAsync("vm-default");
        Assert.Equal(_cluster.Clock.GetUtcNow().AddSeconds(600), token.Status?.ExpiresAt);
    }

    [Fact]
    public async Task Reconciling_a_minted_token_again_writes_nothing_and_keeps_one_key_and_one_secret()
    {
        await _cluster.CreateTokenAsync("vm-2");
        await _cluster.ReconcileAsync("vm-2");
        var first = (await _cluster.GetSecretAsync("vm-2"))!;
        var keys = await _cluster.TokenKeysAsync();
        _cluster.Server.Requests.Clear();
        var redisWritesBefore = await CommandCountAsync("evalsha");

        var second = await _cluster.ReconcileAsync("vm-2");

        Assert.Empty(_cluster.Writes());
        Assert.Equal(redisWritesBefore, await CommandCountAsync("evalsha"));
        Assert.Equal(keys, await _cluster.TokenKeysAsync());
        Assert.Single(keys);
        var again = (await _cluster.GetSecretAsync("vm-2"))!;
        Assert.Equal(first.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.NotNull(second.RequeueAfterDelay);
        Assert.Equal(1, await _cluster.MetricValueAsync("consoleoperator_tokens_minted_total"));
        Assert.Equal(1, await _cluster.MetricValueAsync("consoleoperator_tokens_active"));
        Assert.Equal(1, await _cluster.MetricValueAsync("consoleoperator_token_mint_duration_seconds_count"));
    }

    [Fact]
    public async Task A_crash_between_the_redis_write_and_the_status_write_ends_with_exactly_one_live_token()
    {
        await _cluster.CreateTokenAsync("vm-3");
        _cluster.Server.Faults.FailNextRequests(1, 500, "InternalError", "etcd went away", request => request.Path.EndsWith("/status", StringComparison.Ordinal));

        // The status write fails after the Secret was created and the hash stored: the reconcile throws.
        await Assert.ThrowsAnyAsync<Exception>(() => _cluster.ReconcileAsync("vm-3"));
        var afterCrash = (await _cluster.GetSecretAsync("vm-3"))!;
        Assert.Single(await _cluster.TokenKeysAsync());
        Assert.NotEqual(ConsoleTokenPhase.Active, (await _cluster.GetTokenAsync("vm-3")).Status?.Phase);

        await _cluster.ReconcileAsync("vm-3");

        var secret = (await _cluster.GetSecretAsync("vm-3"))!;
        Assert.Equal(afterCrash.Metadata.Uid, secret.Metadata.Uid);
        var minted = ConsoleTokenSecret.Read(secret, out _)!;
        Assert.Equal([_cluster.KeyPrefix + "token:" + minted.Hash.Hex], await _cluster.TokenKeysAsync());
        Assert.Equal(ConsoleTokenPhase.Active, (await _cluster.GetTokenAsync("vm-3")).Status?.Phase);
    }

    [Fact]
    public async Task A_crash_after_the_secret_was_created_reuses_its_token_even_before_the_cache_sees_it()
    {
        await _cluster.CreateTokenAsync("vm-4");
        _cluster.Server.Faults.FailNextRequests(1, 500, "InternalError", "etcd went away", request => request.Path.EndsWith("/status", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<Exception>(() => _cluster.ReconcileAsync("vm-4"));
        var first = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-4"))!, out _)!;

        // Run straight away, without waiting for the informers: the Secret create collides and the old one is kept.
        await _cluster.Reconciler.ReconcileOnceAsync(new("consoles", "vm-4"), CancellationToken.None);
        await _cluster.ReconcileAsync("vm-4");

        var kept = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-4"))!, out _)!;
        Assert.Equal(first.Hash, kept.Hash);
        Assert.Equal([_cluster.KeyPrefix + "token:" + first.Hash.Hex], await _cluster.TokenKeysAsync());
    }

    [Fact]
    public async Task An_unreachable_token_store_leaves_the_token_pending_with_a_condition_and_retries()
    {
        await _cluster.Redis.StopAsync();
        await _cluster.CreateTokenAsync("vm-5");

        var result = await _cluster.ReconcileAsync("vm-5");

        Assert.True(result.Requeue);
        var token = await _cluster.GetTokenAsync("vm-5");
        Assert.Equal(ConsoleTokenPhase.Pending, token.Status?.Phase);
        var reachable = StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.TokenStoreReachable);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.TokenStoreUnreachable), (reachable?.Status, reachable?.Reason));

        await _cluster.Redis.StartAgainAsync();
        await Poll.UntilAsync(async () => !(await _cluster.ReconcileAsync("vm-5")).Requeue, "the token was minted once Redis was back", TimeSpan.FromSeconds(30));

        token = await _cluster.GetTokenAsync("vm-5");
        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        Assert.Equal(ConditionStatus.True, StatusConditions.Find(token.Status?.Conditions, ConsoleTokenConditions.TokenStoreReachable)?.Status);
        var minted = ConsoleTokenSecret.Read((await _cluster.GetSecretAsync("vm-5"))!, out _)!;
        Assert.Equal([_cluster.KeyPrefix + "token:" + minted.Hash.Hex], await _cluster.TokenKeysAsync());
    }

    [Fact]
    public async Task A_token_can_name_a_proxy_in_another_namespace_that_allows_it()
    {
        await _cluster.DisposeAsync();
        _cluster = await TokenCluster.StartAsync();
        await _cluster.CreateProxyAsync(namespaces: [TokenCluster.OtherNamespace]);
        await _cluster.CreateTokenAsync("vm-6", ns: TokenCluster.OtherNamespace, proxyNamespace: TokenCluster.Namespace);

        await _cluster.ReconcileAsync("vm-6", TokenCluster.OtherNamespace);

        var token = await _cluster.GetTokenAsync("vm-6", TokenCluster.OtherNamespace);
        Assert.Equal(ConsoleTokenPhase.Active, token.Status?.Phase);
        var secret = await _cluster.GetSecretAsync("vm-6", TokenCluster.OtherNamespace);
        Assert.NotNull(secret);
        var minted = ConsoleTokenSecret.Read(secret, out _)!;
        Assert.Equal("tenant/vm-6", await _cluster.Redis.CommandAsync("HGET", _cluster.KeyPrefix + "token:" + minted.Hash.Hex, "owner"));
    }

    private async Task<long> CommandCountAsync(string command)
    {
        var info = await _cluster.Redis.CommandAsync("INFO", "commandstats") ?? string.Empty;
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line.Split(':')[1].Split(',')[0].Split('=')[1];
        return long.Parse(calls, System.Globalization.CultureInfo.InvariantCulture);
    }
}
