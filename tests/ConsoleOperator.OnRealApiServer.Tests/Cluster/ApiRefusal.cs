using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace ConsoleOperator.OnRealApiServer.Tests.Cluster;

/// <summary>What a refused request said: asserts the API server answered 422 Invalid with the expected text.</summary>
public static class ApiRefusal
{
    public static async Task<string> AssertInvalidAsync(Func<Task> request, string expected)
    {
        var refused = await Assert.ThrowsAsync<HttpOperationException>(request);
        var body = refused.Response.Content;
        Assert.True(refused.Response.StatusCode == HttpStatusCode.UnprocessableEntity, $"expected 422 Invalid, got {(int)refused.Response.StatusCode}: {body}");
        // The Status's message lists every cause: "ConsoleProxy.consoleoperator.dev \"x\" is invalid: <field>: <why>".
        var message = JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        Assert.True(message.Contains(expected, StringComparison.Ordinal), $"expected the refusal to say\n  {expected}\nbut it said\n  {message}");
        return message;
    }
}
