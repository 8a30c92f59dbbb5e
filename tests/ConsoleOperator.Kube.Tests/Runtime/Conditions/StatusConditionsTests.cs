using ConsoleOperator.Kube.Runtime.Conditions;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Conditions;

public sealed class StatusConditionsTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, 250, TimeSpan.Zero));

    [Fact]
    public void A_new_condition_gets_the_current_time_in_whole_seconds()
    {
        var conditions = Set([], "Ready", ConditionStatus.False, "Pending", "waiting", 1);

        var ready = Assert.Single(conditions);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero), ready.LastTransitionTime);
        Assert.Equal(1, ready.ObservedGeneration);
    }

    [Fact]
    public void The_transition_time_stays_while_the_status_holds_even_when_reason_message_and_generation_change()
    {
        var conditions = Set([], "Ready", ConditionStatus.True, "Reconciled", "ok", 1);
        var since = conditions[0].LastTransitionTime;
        _clock.Advance(TimeSpan.FromMinutes(5));

        conditions = Set(conditions, "Ready", ConditionStatus.True, "StillFine", "still ok", 2);

        Assert.Equal(since, conditions[0].LastTransitionTime);
        Assert.Equal(("StillFine", "still ok", 2L), (conditions[0].Reason, conditions[0].Message, conditions[0].ObservedGeneration));
    }

    [Fact]
    public void The_transition_time_moves_when_the_status_flips()
    {
        var conditions = Set([], "Ready", ConditionStatus.True, "Reconciled", "ok", 1);
        _clock.Advance(TimeSpan.FromMinutes(5));

        conditions = Set(conditions, "Ready", ConditionStatus.False, "Broken", "down", 1);

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 12, 5, 0, TimeSpan.Zero), conditions[0].LastTransitionTime);
    }

    [Fact]
    public void Setting_the_same_condition_again_changes_nothing()
    {
        var conditions = Set([], "Ready", ConditionStatus.True, "Reconciled", "ok", 1);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(conditions, Set(conditions, "Ready", ConditionStatus.True, "Reconciled", "ok", 1));
    }

    [Fact]
    public void Merge_keeps_other_types_and_does_not_touch_the_current_list()
    {
        var current = Set([], "Ready", ConditionStatus.True, "Reconciled", "ok", 1);
        current = Set(current, "Degraded", ConditionStatus.False, "Healthy", "fine", 1);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var merged = StatusConditions.Merge(current, [new V1Condition { Type = "Ready", Status = ConditionStatus.False, Reason = "Down", Message = "x", ObservedGeneration = 2 }], _clock);

        Assert.Equal(["Ready", "Degraded"], merged.Select(c => c.Type));
        Assert.Equal(ConditionStatus.False, merged[0].Status);
        Assert.Equal(ConditionStatus.True, current[0].Status);
        Assert.Equal(ConditionStatus.True, StatusConditions.Find(current, "Ready")?.Status);
        Assert.NotEqual(ConditionStatus.True, StatusConditions.Find(merged, "Ready")?.Status);
        Assert.Equal(ConditionStatus.False, StatusConditions.Find(merged, "Degraded")!.Status);
    }

    [Theory]
    [InlineData("", "True", "Reason")]
    [InlineData("Ready", "Yes", "Reason")]
    [InlineData("Ready", "True", "")]
    [InlineData("Ready", "True", "not camel case")]
    [InlineData("bad type!", "True", "Reason")]
    public void Conditions_the_API_server_would_refuse_are_refused(string type, string status, string reason)
    {
        Assert.Throws<ArgumentException>(() => Set([], type, status, reason, "m", 1));
    }

    private List<V1Condition> Set(List<V1Condition> conditions, string type, string status, string reason, string message, long? generation) =>
        StatusConditions.Merge(conditions, [new V1Condition { Type = type, Status = status, Reason = reason, Message = message, ObservedGeneration = generation }], _clock);
}
