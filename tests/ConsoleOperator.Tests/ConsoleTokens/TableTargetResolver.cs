using System.Net;
using System.Net.Sockets;
using ConsoleOperator.Controllers.ConsoleTokens;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>
/// Answers from a fixed table of names (IP literals as themselves), so a test can give a name several addresses,
/// some outside a policy, without depending on the machine's DNS. Unknown names fail like the system resolver.
/// </summary>
internal sealed class TableTargetResolver(IReadOnlyDictionary<string, IPAddress[]> table) : ITargetResolver
{
    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return Task.FromResult<IReadOnlyList<IPAddress>>([literal]);
        }

        return table.TryGetValue(host, out var addresses)
            ? Task.FromResult<IReadOnlyList<IPAddress>>(addresses)
            : Task.FromException<IReadOnlyList<IPAddress>>(new SocketException((int)SocketError.HostNotFound));
    }
}
