using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TestKit.Processes;

/// <summary>
/// One Redis command in RESP over a fresh loopback connection, written by hand so a test can ask a redis-server
/// or a sentinel what it really holds without going through the client under test.
/// </summary>
public static class RespCommand
{
    /// <summary>
    /// Returns the reply rendered as text: a simple string, integer or bulk string as is, an array's items joined by
    /// newlines (nested arrays flattened), nil as null; an error reply throws with Redis's words.
    /// </summary>
    /// <param name="password">Sent with AUTH first when not null.</param>
    public static async Task<string?> SendAsync(int port, string? password, params string[] arguments)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        if (password is not null)
        {
            await WriteAsync(stream, ["AUTH", password]);
            await ReadReplyAsync(stream);
        }

        await WriteAsync(stream, arguments);
        return await ReadReplyAsync(stream);
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
