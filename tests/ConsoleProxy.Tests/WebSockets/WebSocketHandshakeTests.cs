using ConsoleProxy.WebSockets.Handshake;

namespace ConsoleProxy.Tests.WebSockets;

public sealed class WebSocketHandshakeTests
{
    [Fact]
    public void The_accept_key_is_the_one_of_RFC_6455_s_example()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
