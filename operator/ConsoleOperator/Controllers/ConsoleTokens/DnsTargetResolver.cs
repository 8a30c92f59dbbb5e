using System.Net;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>Resolves names with the operating system's resolver (cluster DNS in a pod).</summary>
public sealed class DnsTargetResolver : ITargetResolver
{
    public static DnsTargetResolver Instance { get; } = new();

    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        return await Dns.GetHostAddressesAsync(host, cancellationToken);
    }
}
