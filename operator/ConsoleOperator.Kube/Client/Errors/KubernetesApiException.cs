using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ConsoleOperator.Kube.Client.Entities;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>
/// The API server refused a request. Carries the server's <see cref="Status"/> (synthesized when the body was not a
/// Status, e.g. the text/plain "404 page not found" of an unknown path). Decide on <see cref="Reason"/>/<see cref="Code"/>,
/// never on the message: messages differ between server layers (fixture 12) and may echo secret data (fixture 15/07).
/// <see cref="ReadAsync"/> turns a failed response into one. The body is a JSON Status except for unknown paths
/// (text/plain "404 page not found"), the OpenAPI 404 (empty) and a protobuf 406: for those a Status is synthesized
/// from the HTTP code so callers can always rely on Reason and Code.
/// </summary>
public partial class KubernetesApiException : Exception
{
    /// <summary>Error bodies are small; this bounds what a misbehaving server can make us buffer.</summary>
    private const int MaxErrorBodyBytes = 1024 * 1024;

    private const int MaxPlainTextMessageChars = 1024;

    private const int MaxEchoedValueChars = 64;

    private const int MaxMessageChars = 2048;

    // Exception messages end up in logs; the raw message (which may echo a Secret) stays in Status.Message.
    public KubernetesApiException(V1Status status, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base($"Kubernetes API error {status?.Code} {status?.Reason}: {Redact(status?.Message)}", innerException)
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
        RetryAfter = retryAfter ?? (status.Details?.RetryAfterSeconds is { } seconds && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null);
    }

    public V1Status Status { get; }

    /// <summary>The HTTP status code as the Status reports it (equal to the response code for API errors).</summary>
    public int Code => Status.Code ?? 0;

    /// <summary>The metav1.StatusReason; empty when the server gave none.</summary>
    public string Reason => Status.Reason ?? string.Empty;

    public IReadOnlyList<V1StatusCause> Causes => Status.Details?.Causes?.ToList() ?? [];

    /// <summary>From the Retry-After header, else from details.retryAfterSeconds; null when the server gave none.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsNotFound => Reason == "NotFound" || (Code == (int)HttpStatusCode.NotFound && Reason.Length == 0);

    public bool IsAlreadyExists => Reason == "AlreadyExists";

    /// <summary>An optimistic-lock, precondition or apply (FieldManagerConflict) conflict.</summary>
    public bool IsConflict => Reason == "Conflict";

    public bool IsInvalid => Reason == "Invalid" || Code == 422;

    /// <summary>410: an expired continue token or a compacted resourceVersion. The caller relists from scratch.</summary>
    public bool IsGone => Reason == "Expired" || Is(HttpStatusCode.Gone);

    public bool IsForbidden => Is(HttpStatusCode.Forbidden);

    public bool IsBadRequest => Is(HttpStatusCode.BadRequest);

    /// <summary>The error a failed response stands for.</summary>
    public static async Task<KubernetesApiException> ReadAsync(HttpResponseMessage response, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var body = await ReadBoundedAsync(response.Content, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var status = FromBody(response.StatusCode, response.ReasonPhrase, mediaType, body);
        return new KubernetesApiException(status, RetryAfterOf(response, timeProvider));
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

    /// <summary>For these the server's reason is the code's own name, e.g. Forbidden; either one identifies the failure.</summary>
    private bool Is(HttpStatusCode code) => Reason == code.ToString() || Code == (int)code;

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

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider timeProvider) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => TimeSpan.FromTicks(Math.Max(0, (date - timeProvider.GetUtcNow()).Ticks)),
        _ => null,
    };

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxErrorBodyBytes);
        try
        {
            var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, MaxErrorBodyBytes), MaxErrorBodyBytes, throwOnEndOfStream: false, cancellationToken);
            return buffer[..read];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A server message made safe to log. Validation messages echo the offending value, and for a patch that value is the
    /// whole object: a Secret's base64 data included (fixture 15/07). Long echoed values are elided; short ones (a bad
    /// port, a name) stay, because they are what makes the message useful.
    /// </summary>
    private static string Redact(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return string.Empty;
        }

        var redacted = EchoedValue().Replace(message, match =>
        {
            var value = match.Groups["value"].Value;
            return value.Length <= MaxEchoedValueChars ? match.Value : $"Invalid value: \"<{value.Length} characters elided>\"";
        });
        return redacted.Length <= MaxMessageChars ? redacted : redacted[..MaxMessageChars] + "...";
    }

    [GeneratedRegex("Invalid value: \"(?<value>(?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EchoedValue();
}
