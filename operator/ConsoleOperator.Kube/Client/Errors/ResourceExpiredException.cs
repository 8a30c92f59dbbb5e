using k8s.Models;

namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>
/// A watch's resourceVersion is too old: the server sent an in-stream ERROR event with a 410 Status (it never
/// answers a watch with HTTP 410, fixture 12). The only cure is a fresh LIST and a watch from its resourceVersion.
/// </summary>
public sealed class ResourceExpiredException : KubernetesApiException
{
    public ResourceExpiredException(V1Status status)
        : base(status)
    {
    }

    public ResourceExpiredException()
        : base(new V1Status { Status = "Failure", Reason = StatusReasons.Expired, Code = 410, Message = "resource version expired" })
    {
    }

    public ResourceExpiredException(string message)
        : base(new V1Status { Status = "Failure", Reason = StatusReasons.Expired, Code = 410, Message = message })
    {
    }

    public ResourceExpiredException(string message, Exception innerException)
        : base(new V1Status { Status = "Failure", Reason = StatusReasons.Expired, Code = 410, Message = message }, null, innerException)
    {
    }
}
