using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Runtime.Controllers;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Controllers;

public sealed class ConflictErrorsTests
{
    private static readonly KubernetesApiException Conflict = new(new V1Status { Code = 409, Reason = StatusReasons.Conflict, Message = "the object has been modified" });

    [Fact]
    public void A_409_conflict_is_a_conflict_also_when_wrapped()
    {
        Assert.True(ReconcileErrors.IsConflict(Conflict));
        Assert.True(ReconcileErrors.IsConflict(new InvalidOperationException("applying the deployment", Conflict)));
        Assert.True(ReconcileErrors.IsConflict(new AggregateException(Conflict, Conflict)));
    }

    [Fact]
    public void Other_failures_are_not_conflicts()
    {
        Assert.False(ReconcileErrors.IsConflict(new KubernetesApiException(new V1Status { Code = 422, Reason = StatusReasons.Invalid })));
        Assert.False(ReconcileErrors.IsConflict(new KubernetesApiException(new V1Status { Code = 409, Reason = StatusReasons.AlreadyExists })));
        Assert.False(ReconcileErrors.IsConflict(new AggregateException(Conflict, new TimeoutException())));
        Assert.False(ReconcileErrors.IsConflict(new InvalidOperationException()));
    }
}
