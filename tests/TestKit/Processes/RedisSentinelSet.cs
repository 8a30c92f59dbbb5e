using TestKit.Polling;

namespace TestKit.Processes;

/// <summary>
/// A real Sentinel deployment on loopback: a primary, one replica of it and three sentinels (quorum 2), the
/// smallest one that survives losing its primary. Sentinels call the primary down after 1 s of silence and may fail
/// over again after <see cref="FailoverTimeout"/>, so a test sees a failover in seconds rather than Redis's default
/// half-minute. Every process is stopped and every temporary directory removed on dispose.
/// </summary>
public sealed class RedisSentinelSet : IAsyncDisposable
{
    public const string DefaultMasterName = "consoleproxy-primary";

    /// <summary>down-after-milliseconds: how long the primary may be silent before a sentinel thinks it down.</summary>
    public static readonly TimeSpan DownAfter = TimeSpan.FromSeconds(1);

    /// <summary>failover-timeout: small, so a failover that stalls is retried within seconds.</summary>
    public static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(3);

    private readonly List<RedisSentinel> _sentinels;

    private RedisSentinelSet(string masterName, string? password, RedisServer first, RedisServer second, List<RedisSentinel> sentinels)
    {
        MasterName = masterName;
        Password = password;
        Servers = [first, second];
        _sentinels = sentinels;
    }

    public string MasterName { get; }

    /// <summary>The data nodes' password (requirepass and masterauth on both); null for none.</summary>
    public string? Password { get; }

    /// <summary>Both data nodes, the first started as the primary; which one is primary now is <see cref="PrimaryAsync"/>.</summary>
    public IReadOnlyList<RedisServer> Servers { get; }

    public IReadOnlyList<RedisSentinel> Sentinels => _sentinels;

    /// <summary>`--redis-sentinel`'s value: every sentinel's HOST:PORT, comma-separated.</summary>
    public string SentinelAddresses => string.Join(",", _sentinels.Select(sentinel => sentinel.Address));

    public static async Task<RedisSentinelSet> StartAsync(string? password = null, string masterName = DefaultMasterName)
    {
        RedisServer? primary = null;
        RedisServer? replica = null;
        var sentinels = new List<RedisSentinel>();
        try
        {
            // masterauth on both: the primary needs it too once it comes back as a replica of the other.
            string[] authentication = password is null ? [] : ["--masterauth", password];
            primary = await RedisServer.StartAsync(password, authentication);
            replica = await RedisServer.StartAsync(password, [.. authentication, "--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var first = primary;
            var second = replica;
            await Poll.UntilAsync(
                async () => await first.RoleAsync() == "master" && (await second.CommandAsync("INFO", "replication") ?? string.Empty).Contains("master_link_status:up", StringComparison.Ordinal),
                "the replica has synchronised with the primary",
                TimeSpan.FromSeconds(30));
            for (var i = 0; i < 3; i++)
            {
                sentinels.Add(await RedisSentinel.StartAsync(masterName, primary.Port, password, quorum: 2, DownAfter, FailoverTimeout));
            }

            var set = new RedisSentinelSet(masterName, password, primary, replica, sentinels);
            await set.WaitUntilSentinelsAgreeAsync(TimeSpan.FromSeconds(30));
            return set;
        }
        catch
        {
            foreach (var sentinel in sentinels)
            {
                await sentinel.DisposeAsync();
            }

            if (replica is not null)
            {
                await replica.DisposeAsync();
            }

            if (primary is not null)
            {
                await primary.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The data node every sentinel names as primary now.</summary>
    public async Task<RedisServer> PrimaryAsync()
    {
        var port = await _sentinels[0].PrimaryPortAsync(MasterName);
        return Servers.Single(server => server.Port == port);
    }

    /// <summary>Kills the current primary with SIGKILL, as a node crash would, and returns it.</summary>
    public async Task<RedisServer> KillPrimaryAsync()
    {
        var primary = await PrimaryAsync();
        await primary.StopAsync();
        return primary;
    }

    /// <summary>Waits until every sentinel names a primary other than <paramref name="old"/> and that node answers as master.</summary>
    public async Task<RedisServer> WaitForFailoverAsync(RedisServer old, TimeSpan timeout)
    {
        var successor = Servers.Single(server => server != old);
        await Poll.UntilAsync(
            () => AnswersAsync(async () =>
            {
                foreach (var sentinel in _sentinels)
                {
                    if (await sentinel.PrimaryPortAsync(MasterName) != successor.Port)
                    {
                        return false;
                    }
                }

                return await successor.RoleAsync() == "master";
            }),
            $"the sentinels have promoted {successor.Address} after {old.Address} went down\n{string.Join("\n", _sentinels.Select(s => s.Output))}",
            timeout);
        return successor;
    }

    /// <summary>
    /// Starts a killed node again, empty and as it was configured at first (a primary with no replicaof), and waits
    /// until the sentinels have turned it into a replica of the current primary and it has synchronised.
    /// </summary>
    public async Task BringBackAsync(RedisServer node, TimeSpan timeout)
    {
        await node.StartAgainAsync();
        var primary = await PrimaryAsync();
        await Poll.UntilAsync(
            () => AnswersAsync(async () =>
            {
                var replication = await node.CommandAsync("INFO", "replication") ?? string.Empty;
                return replication.Contains("role:slave", StringComparison.Ordinal)
                    && replication.Contains($"master_port:{primary.Port}", StringComparison.Ordinal)
                    && replication.Contains("master_link_status:up", StringComparison.Ordinal);
            }),
            $"{node.Address} has rejoined as a replica of {primary.Address}",
            timeout);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sentinel in _sentinels)
        {
            await sentinel.DisposeAsync();
        }

        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }

    // A sentinel learns of the replica and of the other sentinels from the primary (INFO, hello messages every 2 s):
    // until all three know both, a kill may find too few sentinels to reach quorum or no replica to promote.
    private async Task WaitUntilSentinelsAgreeAsync(TimeSpan timeout)
    {
        await Poll.UntilAsync(
            async () =>
            {
                foreach (var sentinel in _sentinels)
                {
                    var master = await sentinel.CommandAsync("SENTINEL", "MASTER", MasterName) ?? string.Empty;
                    var fields = master.Split('\n');
                    if (Field(fields, "num-slaves") != "1" || Field(fields, "num-other-sentinels") != "2")
                    {
                        return false;
                    }
                }

                return true;
            },
            "every sentinel knows the replica and the two other sentinels",
            timeout);
    }

    // A node being turned into a replica may drop a connection mid-answer: that is "not yet", not a failure.
    private static async Task<bool> AnswersAsync(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string? Field(string[] pairs, string name)
    {
        var index = Array.IndexOf(pairs, name);
        return index >= 0 && index + 1 < pairs.Length ? pairs[index + 1] : null;
    }
}
