using System.Globalization;
using System.Net;
using TestKit.Network;
using TestKit.Processes;
using TestKit.Repository;

namespace ConsoleOperator.OnRealApiServer.Tests.Sessions;

/// <summary>
/// A real `consoleproxy serve` process (artifacts/bin/ConsoleProxy) on a loopback port, on a ConsoleProxy's token
/// store and key prefix as its pod would be: it redeems the operator's tokens and publishes its live sessions there.
/// </summary>
public sealed class ConsoleProxyServe : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private ConsoleProxyServe(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output => _process.Output;

    /// <param name="port">Picked first: the ConsoleProxy's publicURL names it.</param>
    /// <param name="instanceName">The pod name it publishes its sessions under.</param>
    public static async Task<ConsoleProxyServe> StartAsync(int port, RedisServer redis, string keyPrefix, string allowedTarget, string instanceName)
    {
        var process = ChildProcess.Start("dotnet",
        [
            Checkout.BuiltProgram("ConsoleProxy", "consoleproxy.dll"), "serve",
            "--host", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--redis", redis.Address,
            "--key-prefix", keyPrefix,
            "--allowed-target", allowedTarget,
            "--instance-name", instanceName,
            "--drain-timeout", "0",
        ],
        Checkout.Root,
        // The password as the operator hands it to pods: in the environment, never on the command line.
        new Dictionary<string, string?> { ["CONSOLEPROXY_REDIS_PASSWORD"] = redis.Password });
        try
        {
            await FreeTcpPort.WaitUntilListeningAsync(IPAddress.Loopback, port, TimeSpan.FromSeconds(60), () => process.Output);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new ConsoleProxyServe(process, port);
    }

    /// <summary>Kills the process (SIGKILL, as an OOM kill or a lost node would): it cannot remove its sessions.</summary>
    public Task KillAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
