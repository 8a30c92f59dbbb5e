using System.Net.Sockets;
using StackExchange.Redis;

namespace ConsoleProxy.Tokens.Store;

/// <summary>
/// Why Redis could not be used, in a few words a person can act on ("connection refused", "no answer within 5 s"),
/// instead of the client's diagnostic dump (a dozen counters and thread-pool figures in one 400-character line).
/// </summary>
internal static class RedisFailureReason
{
    /// <param name="connected">Whether the client had a connection when the command failed: a command queued while
    /// there is none times out without saying why, and "no connection" is then the truth.</param>
    public static string Describe(Exception exception, TimeSpan timeout, bool connected)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused (is Redis running on that port?)",
                    SocketError.HostNotFound or SocketError.NoData => "the host name does not resolve",
                    SocketError.TimedOut => "the connection timed out",
                    SocketError.HostUnreachable or SocketError.NetworkUnreachable => "the host is unreachable",
                    _ => socket.Message,
                };
            }
        }

        return exception switch
        {
            RedisTimeoutException or TimeoutException when !connected => $"no connection to it within {timeout.TotalSeconds:0.#} s (is Redis running there, and reachable?)",
            RedisTimeoutException or TimeoutException => $"no answer within {timeout.TotalSeconds:0.#} s",
            RedisConnectionException connection => $"no connection ({connection.FailureType})",
            _ => FirstSentence(exception.Message),
        };
    }

    // The client appends its counters after " - " or a comma-separated tail; the first clause is the message.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" - ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
