using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// A request failed the way kube-apiserver fails it: an HTTP status plus the exact <c>Status</c> body to send.
/// Thrown anywhere below the HTTP layer and turned into the response in one place.
/// </summary>
public sealed class ApiStatusException : Exception
{
    public ApiStatusException(int code, JsonObject status, IReadOnlyDictionary<string, string>? headers = null)
        : base((string?)status?["message"] ?? $"HTTP {code}")
    {
        ArgumentNullException.ThrowIfNull(status);
        Code = code;
        Status = status;
        Headers = headers ?? new Dictionary<string, string>();
    }

    public int Code { get; }

    /// <summary>The Status object, keys in the server's order (kind, apiVersion, metadata, status, message, reason, details, code).</summary>
    public JsonObject Status { get; }

    /// <summary>Extra response headers (e.g. <c>Retry-After</c> on a 504).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary><c>Warning</c> header values collected before the failure (they are sent with the error too).</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>Adds warnings gathered before the request failed; returns this exception for rethrowing.</summary>
    public ApiStatusException WithWarnings(IEnumerable<string> warnings)
    {
        Warnings = [.. warnings, .. Warnings];
        return this;
    }
}
