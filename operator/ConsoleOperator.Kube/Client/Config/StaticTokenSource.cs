namespace ConsoleOperator.Kube.Client.Config;

/// <summary>A fixed token from a kubeconfig <c>token:</c> entry.</summary>
public sealed class StaticTokenSource : ITokenSource
{
    private readonly string _token;

    public StaticTokenSource(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _token = token.Trim();
    }

    public ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => ValueTask.FromResult(_token);
}
