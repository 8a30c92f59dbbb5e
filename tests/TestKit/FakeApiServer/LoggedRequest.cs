namespace TestKit.FakeApiServer;

/// <summary>One request the fake served, for assertions such as "a second reconcile writes nothing".</summary>
public sealed record LoggedRequest(string Method, string Path, string Query, string? ContentType, string? Body, int Status, string? UserAgent)
{
    /// <summary>True for requests that can change state (everything but GET, HEAD and OPTIONS).</summary>
    public bool IsWrite => Method is not ("GET" or "HEAD" or "OPTIONS");

    /// <summary>True for a watch request.</summary>
    public bool IsWatch => Query.Contains("watch=true", StringComparison.Ordinal) || Query.Contains("watch=1", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Path}{(Query.Length > 0 ? "?" + Query : string.Empty)} -> {Status}";
}
