using System.Text;
using ConsoleProxy.Relay;
using ConsoleProxy.Rfb;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Tests.Rfb;

/// <summary>ClientInit leaves the proxy with shared=1 whatever the client asked, so no viewer makes QEMU drop the others.</summary>
public sealed class SharedFlagTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly byte[] Version38 = Encoding.ASCII.GetBytes("RFB 003.008\n");
    private static readonly byte[] KeyEvent = [4, 1, 0, 0, 0, 0, 0, 0x61];

    [Theory]
    [InlineData(TokenFlags.None)]
    [InlineData(TokenFlags.ViewOnly)]
    public async Task An_exclusive_ClientInit_reaches_the_VNC_server_as_shared(TokenFlags flags)
    {
        await using var server = new ScriptedRfbServer();
        await using var proxy = await TestProxy.StartAsync(redis.Server);
        var token = await proxy.MintAsync(server.Target, flags: flags);
        using var client = await ProxyClient.ConnectAsync(proxy.Url($"/websockify?token={token}"));
        await ProxyClient.ReceiveExactlyAsync(client, 12);

        // The whole client side of the handshake in one message, asking for exclusive access (shared-flag 0).
        await ProxyClient.SendAsync(client, [.. Version38, 1, 0]);

        Assert.Equal([.. Version38, 1, 1], await server.ClientHandshake);
    }

    [Fact]
    public void The_flag_is_found_across_chunk_boundaries_after_VNC_authentication_and_nothing_else_changes()
    {
        var filter = new SharedFlagFilter();
        byte[] stream = [.. Version38, 2, .. Enumerable.Repeat((byte)0, 16), 0, .. KeyEvent];
        var output = new List<byte>();
        foreach (var chunk in stream.Chunk(5))
        {
            var count = filter.Filter(chunk);
            output.AddRange(chunk.Take(count));
        }

        Assert.True(filter.ForcedShared);
        Assert.True(filter.PassesEverything);
        byte[] expected = [.. Version38, 2, .. Enumerable.Repeat((byte)0, 16), 1, .. KeyEvent];
        Assert.Equal(expected, output);
    }

    [Fact]
    public void RFB_3_3_and_unparsed_security_types_pass_untouched()
    {
        byte[] old = [.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 0, 0];
        var filter = new SharedFlagFilter();
        Assert.Equal(old.Length, filter.Filter(old.AsSpan()));
        Assert.Equal(0, old[^1]);
        Assert.False(filter.ForcedShared);

        byte[] vencrypt = [.. Version38, 19, 0, 2];
        var other = new SharedFlagFilter();
        other.Filter(vencrypt.AsSpan());
        Assert.Equal([.. Version38, 19, 0, 2], vencrypt);
        Assert.True(other.PassesEverything);
    }

    [Fact]
    public void After_the_proxy_answered_security_the_first_byte_is_ClientInit_and_an_inner_filter_still_runs()
    {
        var inner = new ViewOnlyFilter();
        var filter = SharedFlagFilter.AfterSecurityHandshake(ViewOnlyFilter.AfterSecurityHandshake());
        byte[] data = [0, .. KeyEvent];

        var count = filter.Filter(data);

        Assert.Equal(1, count);
        Assert.Equal(1, data[0]);
        Assert.False(filter.PassesEverything);
        Assert.False(((IInputFilter)inner).PassesEverything);
    }
}
