using System.Net;
using System.Net.Sockets;

namespace ConsoleProxy.Relay;

/// <summary>
/// Opens the TCP connection to a VNC server with a deadline, so a target that drops SYNs costs
/// the user a few seconds and a 4005 close instead of the kernel's two-minute connect timeout.
/// </summary>
public sealed class TargetDialer(TimeProvider timeProvider, TimeSpan timeout)
{
    /// <summary>The connected socket (TCP_NODELAY: RFB is interactive), or the reason it failed.</summary>
    public async Task<TargetDialResult> DialAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await socket.ConnectAsync(endPoint, linked.Token);
            return TargetDialResult.Connected(socket);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return TargetDialResult.Failed($"no answer from {endPoint} within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return TargetDialResult.Failed($"{endPoint}: {e.SocketErrorCode}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
