using System.Net;
using System.Text;
using System.Text.Json;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>
/// Turns a failed response into a <see cref="KubernetesApiException"/>. The body is a JSON Status except for unknown
/// paths (text/plain "404 page not found"), the OpenAPI 404 (empty) and a protobuf 406: for those a Status is
/// synthesized from the HTTP code so callers can always rely on Reason and Code.
/// </summary>
public static class ApiErrorReader
{
    /// <summary>Error bodies are small; this bounds what a misbehaving server can make us buffer.</summary>
    private const int MaxErrorBodyBytes = 1024 * 1024;

    private const int MaxPlainTextMessageChars = 1024;

    public static async Task<KubernetesApiException> ReadAsync(HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var body = await ReadBoundedAsync(response.Content, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var status = FromBody(response.StatusCode, response.ReasonPhrase, mediaType, body);
        return new KubernetesApiException(status, RetryAfter(response, timeProvider));
    }

    /// <summary>The Status for a failed response; synthesized when the body is not a JSON Status.</summary>
    public static V1Status FromBody(HttpStatusCode code, string? reasonPhrase, string? mediaType, ReadOnlySpan<byte> body)
    {
        if (IsJson(mediaType) && body.Length > 0)
        {
            try
            {
                var parsed = JsonSerializer.Deserialize(body, EntityJson.TypeInfo<V1Status>());
                if (parsed is not null && (parsed.Kind == "Status" || parsed.Reason is not null || parsed.Code is not null))
                {
                    parsed.Code ??= (int)code;
                    parsed.Reason ??= ReasonFor(code);
                    parsed.Status ??= "Failure";
                    return parsed;
                }
            }
            catch (JsonException)
            {
                // A JSON content type with a body that is not a Status: fall through and synthesize one.
            }
        }

        return new V1Status
        {
            Status = "Failure",
            Code = (int)code,
            Reason = ReasonFor(code),
            Message = MessageFor(code, reasonPhrase, mediaType, body),
            Details = new V1StatusDetails(),
        };
    }

    /// <summary>The reason the API server itself uses for a bare HTTP code.</summary>
    public static string ReasonFor(HttpStatusCode code) => code switch
    {
        HttpStatusCode.UnprocessableEntity => "Invalid",
        HttpStatusCode.InternalServerError => "InternalError",
        HttpStatusCode.GatewayTimeout => "Timeout",
        // For these the server's reason is the code's own name (NotFound, Conflict, TooManyRequests, ...).
        HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
            or HttpStatusCode.NotAcceptable or HttpStatusCode.Conflict or HttpStatusCode.Gone or HttpStatusCode.UnsupportedMediaType
            or HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => code.ToString(),
        _ => string.Empty,
    };

    internal static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static string MessageFor(HttpStatusCode code, string? reasonPhrase, string? mediaType, ReadOnlySpan<byte> body)
    {
        var isText = mediaType is not null && mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase);
        if (isText && body.Length > 0)
        {
            var text = Encoding.UTF8.GetString(body).Trim();
            return text.Length <= MaxPlainTextMessageChars ? text : text[..MaxPlainTextMessageChars] + "...";
        }

        // Empty or binary (protobuf) bodies: say what the server said on the status line.
        return $"the server answered {(int)code} {reasonPhrase ?? code.ToString()}" + (body.Length == 0 ? " with an empty body" : $" with a {mediaType ?? "binary"} body");
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => TimeSpan.FromTicks(Math.Max(0, (date - timeProvider.GetUtcNow()).Ticks)),
        _ => null,
    };

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = MaxErrorBodyBytes - (int)buffer.Length;
            buffer.Write(chunk, 0, Math.Min(read, room));
            if (read >= room)
            {
                break;
            }
        }

        return buffer.ToArray();
    }
}
