using System.Net;
using k8s.Models;

namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>
/// The API server refused a request. Carries the server's <see cref="Status"/> (synthesized when the body was not a
/// Status, e.g. the text/plain "404 page not found" of an unknown path). Decide on <see cref="Reason"/>/<see cref="Code"/>,
/// never on the message: messages differ between server layers (fixture 12) and may echo secret data (fixture 15/07).
/// </summary>
public class KubernetesApiException : Exception
{
    public KubernetesApiException(V1Status status, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(Describe(status), innerException)
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

    public bool IsUnauthorized => Is(HttpStatusCode.Unauthorized);

    public bool IsTooManyRequests => Is(HttpStatusCode.TooManyRequests);

    public bool IsBadRequest => Is(HttpStatusCode.BadRequest);

    public bool IsTimeout => Reason is "Timeout" or "ServerTimeout" || Code == (int)HttpStatusCode.GatewayTimeout;

    /// <summary>Whether this failure may go away by itself (throttling, server timeouts, 5xx), so a retry is reasonable.</summary>
    public bool IsTransient => IsTooManyRequests || IsTimeout || Code >= 500;

    /// <summary>For these the server's reason is the code's own name, e.g. Forbidden; either one identifies the failure.</summary>
    private bool Is(HttpStatusCode code) => Reason == code.ToString() || Code == (int)code;

    private static string Describe(V1Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        // Exception messages end up in logs; the raw message (which may echo a Secret) stays in Status.Message.
        return $"Kubernetes API error {status.Code} {status.Reason}: {StatusMessageRedactor.Redact(status.Message)}";
    }
}
