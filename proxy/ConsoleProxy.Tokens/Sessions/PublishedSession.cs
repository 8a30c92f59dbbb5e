using System.Text.Json.Serialization;

namespace ConsoleProxy.Tokens.Sessions;

/// <summary>
/// One live console session as a proxy process publishes it (see <see cref="SessionDirectory"/>): enough for "who is
/// connected" and for counting sessions across processes. It names the token only by its hash, never the raw token.
/// </summary>
/// <param name="TokenHash">The token's SHA-256, 64 lowercase hex characters.</param>
/// <param name="Owner">`namespace/name` of the ConsoleToken; empty when minted by the CLI.</param>
/// <param name="ProxyInstance">The proxy process (pod name, `--instance-name`) that relays it.</param>
/// <param name="SessionId">The session's number inside that process.</param>
/// <param name="Client">The client's address as the proxy saw it.</param>
/// <param name="Kind">`vnc`, `serial` or `spice`.</param>
/// <param name="Target">The console endpoint, `host:port` as in the token record.</param>
/// <param name="ViewOnly">Whether the session's input is dropped.</param>
/// <param name="StartedAt">When the session started relaying.</param>
/// <param name="BytesToTarget">Bytes relayed from the client to the console so far.</param>
/// <param name="BytesToClient">Bytes relayed from the console to the client so far.</param>
public sealed record PublishedSession(
    [property: JsonPropertyName("token_hash")] string TokenHash,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("proxy_instance")] string ProxyInstance,
    [property: JsonPropertyName("session_id")] long SessionId,
    [property: JsonPropertyName("client")] string Client,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("view_only")] bool ViewOnly,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("bytes_to_target")] long BytesToTarget,
    [property: JsonPropertyName("bytes_to_client")] long BytesToClient)
{
    /// <summary>Unique across the fleet: the process and its own session number.</summary>
    [JsonIgnore]
    public string Key => $"{ProxyInstance}/{SessionId}";
}
