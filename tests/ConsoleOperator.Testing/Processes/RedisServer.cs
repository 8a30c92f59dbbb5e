using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ConsoleOperator.Testing.Network;

namespace ConsoleOperator.Testing.Processes;

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

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>
    /// Sends one command over a fresh connection in RESP and returns the reply rendered as text
    /// (simple string, integer, bulk string or array joined by newlines; nil as null). Kept
    /// independent of the Redis client under test, so tests can check what it really stored.
    /// </summary>
    public async Task<string?> CommandAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        if (_password is not null)
        {
            await WriteAsync(stream, ["AUTH", _password]);
            await ReadReplyAsync(stream);
        }

        await WriteAsync(stream, arguments);
        return await ReadReplyAsync(stream);
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

    private static async Task WriteAsync(NetworkStream stream, string[] arguments)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"*{arguments.Length}\r\n");
        foreach (var argument in arguments)
        {
            builder.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(builder.ToString()));
    }

    private static async Task<string?> ReadReplyAsync(NetworkStream stream)
    {
        var line = await ReadLineAsync(stream);
        var payload = line[1..];
        switch (line[0])
        {
            case '+':
            case ':':
                return payload;
            case '-':
                throw new InvalidOperationException($"redis error: {payload}");
            case '$':
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var buffer = new byte[length + 2];
                await stream.ReadExactlyAsync(buffer);
                return Encoding.UTF8.GetString(buffer, 0, length);
            case '*':
                var count = int.Parse(payload, CultureInfo.InvariantCulture);
                var items = new List<string?>();
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadReplyAsync(stream));
                }

                return string.Join('\n', items);
            default:
                throw new InvalidOperationException($"unexpected redis reply '{line}'");
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one);
            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                bytes.RemoveAt(bytes.Count - 1);
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            bytes.Add(one[0]);
        }
    }
}
