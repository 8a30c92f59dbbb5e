using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Runtime;
using ConsoleOperator.Kube.Runtime.Controllers;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Controllers;

/// <summary>The two failures a controller treats apart from a real one: a conflict (retried quietly) and its own object gone.</summary>
public sealed class ReconcileFailureTests
{
    private static readonly KubernetesApiException Conflict = new(new V1Status { Code = 409, Reason = "Conflict", Message = "the object has been modified" });

    [Fact]
    public void A_409_conflict_is_a_conflict_also_when_wrapped()
    {
        Assert.True(Controller<UntypedObject>.IsConflict(Conflict));
        Assert.True(Controller<UntypedObject>.IsConflict(new InvalidOperationException("applying the deployment", Conflict)));
        Assert.True(Controller<UntypedObject>.IsConflict(new AggregateException(Conflict, Conflict)));
    }

    [Fact]
    public void Other_failures_are_not_conflicts()
    {
        Assert.False(Controller<UntypedObject>.IsConflict(new KubernetesApiException(new V1Status { Code = 422, Reason = "Invalid" })));
        Assert.False(Controller<UntypedObject>.IsConflict(new KubernetesApiException(new V1Status { Code = 409, Reason = "AlreadyExists" })));
        Assert.False(Controller<UntypedObject>.IsConflict(new AggregateException(Conflict, new TimeoutException())));
        Assert.False(Controller<UntypedObject>.IsConflict(new InvalidOperationException()));
    }

    private static readonly ObjectKey Key = new("ns", "w1");

    private static KubernetesApiException NotFound(string name) => new(new V1Status
    {
        Code = 404,
        Reason = "NotFound",
        Message = $"widgets.example.dev \"{name}\" not found",
        Details = new V1StatusDetails { Name = name, Group = "example.dev", Kind = "widgets" },
    });

    [Fact]
    public void A_404_naming_the_reconciled_object_means_it_is_gone_also_when_wrapped()
    {
        Assert.True(Controller<UntypedObject>.IsPrimaryGone(NotFound("w1"), Key, primaryCached: true));
        Assert.True(Controller<UntypedObject>.IsPrimaryGone(new InvalidOperationException("adding the finalizer", NotFound("w1")), Key, primaryCached: true));
    }

    [Fact]
    public void A_404_on_another_object_is_a_failure_while_the_primary_is_still_cached()
    {
        Assert.False(Controller<UntypedObject>.IsPrimaryGone(NotFound("w1-config"), Key, primaryCached: true));
        Assert.True(Controller<UntypedObject>.IsPrimaryGone(NotFound("w1-config"), Key, primaryCached: false));
    }

    [Fact]
    public void Other_failures_are_not_gone()
    {
        Assert.False(Controller<UntypedObject>.IsPrimaryGone(new KubernetesApiException(new V1Status { Code = 409, Reason = "Conflict", Details = new V1StatusDetails { Name = "w1" } }), Key, primaryCached: false));
        Assert.False(Controller<UntypedObject>.IsPrimaryGone(new InvalidOperationException("w1"), Key, primaryCached: false));
    }
}
