using System.Globalization;
using System.Net;
using TestKit.Network;
using TestKit.Tls;

namespace TestKit.Processes;

/// <summary>
/// A real redis-server on a free loopback port in its own temporary directory, with no persistence.
/// Use one per test class (xunit IClassFixture / IAsyncLifetime). It can be stopped and started again
/// on the same port to test a token store going away and coming back.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string? _password;
    private readonly IReadOnlyList<string> _extraArguments;
    private ChildProcess? _process;

    private RedisServer(int port, string directory, string? password, IReadOnlyList<string> extraArguments)
    {
        Port = port;
        _directory = directory;
        _password = password;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    /// <summary>HOST:PORT, as the proxy's `--redis` option takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string? Password => _password;

    /// <param name="password">The default user's password (requirepass); <see cref="CommandAsync"/> authenticates with it.</param>
    /// <param name="extraArguments">More configuration directives as command-line arguments (e.g. `--user NAME on &gt;PASSWORD ~* &amp;* +@all`).</param>
    public static async Task<RedisServer> StartAsync(string? password = null, IReadOnlyList<string>? extraArguments = null)
    {
        var directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
        var server = new RedisServer(FreeTcpPort.Next(), directory, password, extraArguments ?? []);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// A server that also listens with TLS on a second free port, its certificate (for 127.0.0.1 and localhost) issued by
    /// <paramref name="authority"/> into <paramref name="directory"/>; clients are not asked for a certificate.
    /// </summary>
    public static async Task<(RedisServer Server, int TlsPort)> StartWithTlsAsync(string? password, TestCertificateAuthority authority, string directory)
    {
        var (certificateFile, keyFile) = authority.IssueServer("127.0.0.1", "localhost").Write(directory, "server");
        var tlsPort = FreeTcpPort.Next();
        var server = await StartAsync(password,
        [
            "--tls-port", tlsPort.ToString(CultureInfo.InvariantCulture),
            "--tls-cert-file", certificateFile,
            "--tls-key-file", keyFile,
            "--tls-ca-cert-file", authority.WriteCertificate(Path.Combine(directory, "ca.crt")),
            "--tls-auth-clients", "no",
        ]);
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, tlsPort, TimeSpan.FromSeconds(10), () => $"redis-server's tls-port {tlsPort}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return (server, tlsPort);
    }

    /// <summary>
    /// A one-node Redis Cluster owning every slot, up (cluster_state:ok) when this returns. Its cluster bus port is drawn
    /// like the client port: Redis's default (client port + 10000) lands in Linux's ephemeral range, where an outgoing
    /// connection may hold it ("Failed listening on port 32926 (cluster), aborting", seen in CI).
    /// </summary>
    public static async Task<RedisServer> StartClusterNodeAsync()
    {
        var server = await StartAsync(extraArguments:
        [
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-port", FreeTcpPort.Next().ToString(CultureInfo.InvariantCulture),
        ]);
        try
        {
            var added = await server.CommandAsync("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            if (added != "OK")
            {
                throw new InvalidOperationException($"CLUSTER ADDSLOTSRANGE answered '{added}'");
            }

            await Polling.Poll.UntilAsync(
                async () => (await server.CommandAsync("CLUSTER", "INFO") ?? string.Empty).Contains("cluster_state:ok", StringComparison.Ordinal),
                "the one-node cluster is up");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on the same port; data from before a stop is gone.</summary>
    public async Task StartAgainAsync()
    {
        var path = RequiredTool.Find("redis-server", "redis-server");
        var arguments = new List<string>
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _directory,
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
        };
        if (_password is not null)
        {
            arguments.AddRange(["--requirepass", _password]);
        }

        arguments.AddRange(_extraArguments);

        _process = ChildProcess.Start(path, arguments, _directory);
        await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, Port, TimeSpan.FromSeconds(10), () => _process.Output);
        var pong = await CommandAsync("PING");
        if (pong != "PONG")
        {
            throw new InvalidOperationException($"redis-server answered '{pong}' to PING\n{_process.Output}");
        }
    }

    /// <summary>
    /// Stops the server in place (SIGSTOP) until <see cref="ThawAsync"/>: its port still accepts connections (the
    /// kernel does) but nothing answers, as with a hung node or a dropped network path; a client waits for its timeout.
    /// </summary>
    public Task FreezeAsync() => (_process ?? throw new InvalidOperationException("the redis-server is not running")).SignalAsync("STOP");

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public Task ThawAsync() => (_process ?? throw new InvalidOperationException("the redis-server is not running")).SignalAsync("CONT");

    /// <summary>Kills the server with SIGKILL (no shutdown save, no goodbye to replicas or sentinels), as a node crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>
    /// Sends one command over a fresh plain-TCP connection and returns the reply as text (see <see cref="RespCommand"/>).
    /// Kept independent of the Redis client under test, so tests can check what it really stored.
    /// </summary>
    public Task<string?> CommandAsync(params string[] arguments) => RespCommand.SendAsync(Port, _password, arguments);

    /// <summary>The first word of ROLE: "master" or "slave" (Redis's own words).</summary>
    public async Task<string> RoleAsync()
    {
        var role = await CommandAsync("ROLE") ?? string.Empty;
        return role.Split('\n')[0];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up with the rest of /tmp.
        }
    }
}
