using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>A successful answer of a resource operation: status code, JSON body and <c>Warning</c> header values.</summary>
public sealed record ApiResult(int Code, JsonObject Body, IReadOnlyList<string> Warnings)
{
    public static ApiResult Ok(JsonObject body) => new(200, body, []);
}
