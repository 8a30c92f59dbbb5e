using System.Text;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// The list continue token in kube-apiserver's format: base64url (no padding) of
/// <c>{"v":"meta.k8s.io/v1","rv":204,"start":"w2\u0000"}</c>. <c>rv</c> -1 means "continue from a fresh snapshot".
/// </summary>
public sealed record ContinueToken(long ResourceVersion, string Start)
{
    public string Encode()
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = Start }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ContinueToken Decode(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var json = JsonNode.Parse(Convert.FromBase64String(base64))!.AsObject();
            if ((string?)json["v"] != "meta.k8s.io/v1")
            {
                throw new FormatException("continue key is not supported");
            }

            return new ContinueToken((long)json["rv"]!, (string?)json["start"] ?? string.Empty);
        }
        catch (Exception error) when (error is not FormatException)
        {
            throw new FormatException("continue key is not valid: " + error.Message, error);
        }
    }
}
