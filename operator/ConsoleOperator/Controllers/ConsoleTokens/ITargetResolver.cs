using System.Net;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>Resolves a ConsoleToken's target host to the addresses the proxy could dial.</summary>
public interface ITargetResolver
{
    /// <summary>The addresses of <paramref name="host"/> (an IP literal is its own answer); throws when it does not resolve.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
