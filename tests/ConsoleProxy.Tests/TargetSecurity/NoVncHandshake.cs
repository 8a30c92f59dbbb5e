using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using ConsoleProxy.Tests.Support;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>The browser's side of the RFB handshake with a proxy that answered the VNC server's security itself.</summary>
public static class NoVncHandshake
{
    /// <summary>What noVNC does: RFB 3.8, takes None (the only type offered), ClientInit shared; returns the screen size.</summary>
    public static async Task<(int Width, int Height)> RunAsync(ClientWebSocket client)
    {
        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await ProxyClient.ReceiveExactlyAsync(client, 12)));
        await ProxyClient.SendAsync(client, Encoding.ASCII.GetBytes("RFB 003.008\n"));
        Assert.Equal(new byte[] { 1, 1 }, await ProxyClient.ReceiveExactlyAsync(client, 2));
        await ProxyClient.SendAsync(client, [1]);
        Assert.Equal(new byte[4], await ProxyClient.ReceiveExactlyAsync(client, 4));
        await ProxyClient.SendAsync(client, [1]);
        var serverInit = await ProxyClient.ReceiveExactlyAsync(client, 24);
        await ProxyClient.ReceiveExactlyAsync(client, (int)BinaryPrimitives.ReadUInt32BigEndian(serverInit.AsSpan(20)));
        return (BinaryPrimitives.ReadUInt16BigEndian(serverInit), BinaryPrimitives.ReadUInt16BigEndian(serverInit.AsSpan(2)));
    }
}
