using TestKit.Network;
using TestKit.Processes;
using System.Globalization;
using System.Text;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Report;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// HAProxy in TCP mode with forced splice(2) both ways: a relay that never copies a byte into user
/// space (strace shows only splice and epoll_wait). Next to socat it answers whether zero-copy
/// would lift a relay's ceiling on this machine, or whether the loopback TCP stack sets it.
/// </summary>
public sealed class HaproxySpliceRelaySystem : ISystemUnderTest
{
    // Splicing takes a pipe (two descriptors) per connection besides its two sockets, and the
    // process may hold 20,000 descriptors here: HAProxy refuses to start if maxconn cannot fit.
    // Live consoles need 4,000 sessions at once (more in the largest-N search, which runs consoleproxy only).
    private const int MaxConnections = 4500;

    private readonly RelayProcess _process;
    private readonly IReadOnlyDictionary<TargetMode, int> _ports;

    private HaproxySpliceRelaySystem(RelayProcess process, IReadOnlyDictionary<TargetMode, int> ports)
    {
        _process = process;
        _ports = ports;
    }

    public string Name => MarkdownTable.SpliceRelay;

    public int? ProcessId => _process.Id;

    public static async Task<HaproxySpliceRelaySystem> StartAsync(TargetSet targets, string workDirectory)
    {
        var haproxy = RequiredTool.Find("haproxy", "haproxy");
        var ports = new Dictionary<TargetMode, int>();
        var config = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            global
              maxconn {MaxConnections}
            defaults
              mode tcp
              timeout connect 5s
              timeout client 1h
              timeout server 1h
              option splice-request
              option splice-response

            """));
        foreach (var target in targets.All)
        {
            var port = FreeTcpPort.Next();
            ports[target.Mode] = port;
            config.Append(CultureInfo.InvariantCulture, $"listen {target.Mode}\n  bind 127.0.0.1:{port}\n  server target 127.0.0.1:{target.Port}\n");
        }

        var configPath = Path.Combine(workDirectory, "haproxy.cfg");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var process = RelayProcess.Start(haproxy, ["-db", "-f", configPath], new Dictionary<string, string>(), Path.Combine(workDirectory, "haproxy.log"));
        try
        {
            foreach (var port in ports.Values)
            {
                await process.WaitListeningAsync(port, TimeSpan.FromSeconds(30));
            }

            return new HaproxySpliceRelaySystem(process, ports);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public Task<IBenchConnection> ConnectAsync(TargetMode mode, CancellationToken cancellationToken) =>
        TcpConnection.ConnectAsync(_ports[mode], cancellationToken);

    public IBlockingBenchConnection Connect(TargetMode mode) => TcpConnection.Connect(_ports[mode]);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
