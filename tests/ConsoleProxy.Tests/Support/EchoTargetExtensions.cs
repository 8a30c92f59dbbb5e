using TestKit.Network;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Support;

/// <summary>The shared echo server as the proxy's tests address it: a token's target.</summary>
public static class EchoTargetExtensions
{
    extension(TcpEchoTarget echo)
    {
        public ConsoleTarget Target => new(echo.Address.ToString(), echo.Port);
    }
}
