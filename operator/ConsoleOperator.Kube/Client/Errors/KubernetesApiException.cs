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

    public string Reason => Status.Reason ?? StatusReasons.Unknown;

    public IReadOnlyList<V1StatusCause> Causes => Status.Details?.Causes?.ToList() ?? [];

    /// <summary>From the Retry-After header, else from details.retryAfterSeconds; null when the server gave none.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsNotFound => Reason == StatusReasons.NotFound || (Code == (int)HttpStatusCode.NotFound && Reason == StatusReasons.Unknown);

    public bool IsAlreadyExists => Reason == StatusReasons.AlreadyExists;

    /// <summary>An optimistic-lock, precondition or apply (FieldManagerConflict) conflict.</summary>
    public bool IsConflict => Reason == StatusReasons.Conflict;

    public bool IsInvalid => Reason == StatusReasons.Invalid || Code == 422;

    /// <summary>410: an expired continue token or a compacted resourceVersion. The caller relists from scratch.</summary>
    public bool IsGone => Reason is StatusReasons.Expired or StatusReasons.Gone || Code == (int)HttpStatusCode.Gone;

    public bool IsForbidden => Reason == StatusReasons.Forbidden || Code == (int)HttpStatusCode.Forbidden;

    public bool IsUnauthorized => Reason == StatusReasons.Unauthorized || Code == (int)HttpStatusCode.Unauthorized;

    public bool IsTooManyRequests => Reason == StatusReasons.TooManyRequests || Code == (int)HttpStatusCode.TooManyRequests;

    public bool IsBadRequest => Reason == StatusReasons.BadRequest || Code == (int)HttpStatusCode.BadRequest;

    public bool IsTimeout => Reason is StatusReasons.Timeout or StatusReasons.ServerTimeout || Code == (int)HttpStatusCode.GatewayTimeout;

    /// <summary>Whether this failure may go away by itself (throttling, server timeouts, 5xx), so a retry is reasonable.</summary>
    public bool IsTransient => IsTooManyRequests || IsTimeout || Code >= 500;

    private static string Describe(V1Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        // Exception messages end up in logs; the raw message (which may echo a Secret) stays in Status.Message.
        return $"Kubernetes API error {status.Code} {status.Reason}: {StatusMessageRedactor.Redact(status.Message)}";
    }
}
