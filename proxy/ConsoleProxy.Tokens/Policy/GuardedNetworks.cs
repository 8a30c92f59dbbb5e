using System.Net;

namespace ConsoleProxy.Tokens.Policy;

/// <summary>
/// Networks a console may reach only when a policy names them exactly: an entry inside the network
/// (<c>127.0.0.1/32:5900</c>, <c>169.254.10.0/24</c>), never a wider entry that happens to include it. They are
/// the proxy pod itself (loopback, and 0.0.0.0 and :: which Linux dials as loopback) and link-local, where cloud
/// metadata services answer (169.254.169.254, fd00:ec2::254 aside). A broad allowance such as 0.0.0.0/0 or
/// 169.0.0.0/8 therefore still keeps them out.
/// </summary>
public static class GuardedNetworks
{
    private static readonly AllowedTarget[] Networks =
    [
        AllowedTarget.Parse("0.0.0.0/8"),
        AllowedTarget.Parse("127.0.0.0/8"),
        AllowedTarget.Parse("169.254.0.0/16"),
        AllowedTarget.Parse("::/128"),
        AllowedTarget.Parse("::1/128"),
        AllowedTarget.Parse("fe80::/10"),
    ];

    public static IReadOnlyList<AllowedTarget> All => Networks;

    /// <summary>The guarded network <paramref name="address"/> lies in, or null when it lies in none.</summary>
    public static AllowedTarget? Containing(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        foreach (var network in Networks)
        {
            if (network.Contains(address))
            {
                return network;
            }
        }

        return null;
    }
}
