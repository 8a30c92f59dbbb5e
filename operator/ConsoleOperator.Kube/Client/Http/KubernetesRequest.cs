namespace ConsoleOperator.Kube.Client.Http;

/// <summary>
/// A request described as data, so the client can build a fresh <see cref="HttpRequestMessage"/> for the one retry
/// after a 401 (a message cannot be sent twice).
/// </summary>
public sealed record KubernetesRequest(HttpMethod Method, string PathAndQuery)
{
    public byte[]? Body { get; init; }

    /// <summary>The body's media type, e.g. application/apply-patch+yaml; sent without a charset, as kubectl does.</summary>
    public string? ContentType { get; init; }

    public string Accept { get; init; } = "application/json";

    /// <summary>A watch: no overall deadline, only one for the response headers.</summary>
    public bool IsStreaming { get; init; }
}
