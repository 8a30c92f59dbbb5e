using TestKit.Network;
using TestKit.Processes;
using System.Globalization;
using ConsoleProxy.Benchmarks.Clients;
using ConsoleProxy.Benchmarks.Report;
using ConsoleProxy.Benchmarks.Targets;

namespace ConsoleProxy.Benchmarks.Systems;

/// <summary>
/// socat as a plain TCP relay (no WebSocket, no token, no framing, one process per connection):
/// what a second loopback hop costs by itself on this machine. It bounds what any relay can reach
/// here, so it tells a target the relay misses apart from one the machine cannot give.
/// </summary>
public sealed class SocatRelaySystem : ISystemUnderTest
{
    private readonly IReadOnlyList<RelayProcess> _processes;
    private readonly IReadOnlyDictionary<TargetMode, int> _ports;

    private SocatRelaySystem(IReadOnlyList<RelayProcess> processes, IReadOnlyDictionary<TargetMode, int> ports)
    {
        _processes = processes;
        _ports = ports;
    }

    public string Name => MarkdownTable.TcpRelay;

    public int? ProcessId => null;

    public static async Task<SocatRelaySystem> StartAsync(TargetSet targets, string workDirectory)
    {
        var socat = RequiredTool.Find("socat", "socat");
        var processes = new List<RelayProcess>();
        var ports = new Dictionary<TargetMode, int>();
        try
        {
            foreach (var target in targets.All)
            {
                var port = FreeTcpPort.Next();
                var process = RelayProcess.Start(
                    socat,
                    ["-b", "131072", $"TCP-LISTEN:{port.ToString(CultureInfo.InvariantCulture)},bind=127.0.0.1,reuseaddr,fork,nodelay,backlog=4096", $"TCP:127.0.0.1:{target.Port.ToString(CultureInfo.InvariantCulture)},nodelay"],
                    new Dictionary<string, string>(),
                    Path.Combine(workDirectory, $"socat-{port}.log"));
                processes.Add(process);
                await process.WaitListeningAsync(port, TimeSpan.FromSeconds(30));
                ports[target.Mode] = port;
            }

            return new SocatRelaySystem(processes, ports);
        }
        catch
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            throw;
        }
    }

    public Task<IBenchConnection> ConnectAsync(TargetMode mode, CancellationToken cancellationToken) =>
        TcpConnection.ConnectAsync(_ports[mode], cancellationToken);

    public IBlockingBenchConnection Connect(TargetMode mode) => TcpConnection.Connect(_ports[mode]);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
