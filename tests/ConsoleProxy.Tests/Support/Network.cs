using TestKit.Network;

namespace ConsoleProxy.Tests.Support;

/// <summary>Loopback ports with a known behaviour for "the VNC server is not there" cases.</summary>
public static class Network
{
    /// <summary>
    /// A loopback port nobody listens on, so connecting gets a refusal. Drawn like every test server's port (below the
    /// ephemeral range, never twice in this process): a port bound to 0 and released is the kind the kernel hands the
    /// next test server that binds to 0, which would then answer instead of refusing.
    /// </summary>
    public static int ClosedPort() => FreeTcpPort.Next();
}
