namespace ConsoleOperator.Kube.Client.Config;

/// <summary>Where the bearer token comes from. Bound service-account tokens rotate, so a source may re-read it.</summary>
public interface ITokenSource
{
    /// <summary>
    /// The token to send. <paramref name="forceRefresh"/> is set after a 401: a rotating source re-reads at once.
    /// </summary>
    ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
