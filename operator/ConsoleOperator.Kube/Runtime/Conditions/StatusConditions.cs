using System.Text.RegularExpressions;
using k8s.Models;

namespace ConsoleOperator.Kube.Runtime.Conditions;

/// <summary>
/// Sets metav1.Conditions the way apimachinery's meta.SetStatusCondition does: one condition per type,
/// <c>lastTransitionTime</c> moved only when the status flips (so "since when" stays true), reason, message and
/// <c>observedGeneration</c> always current. Values the API server would refuse are refused here first.
/// </summary>
public static partial class StatusConditions
{
    /// <summary>The API server's limit on a condition message.</summary>
    public const int MaxMessageLength = 32768;

    /// <summary>
    /// Sets the condition of <paramref name="desired"/>'s type in <paramref name="conditions"/>, keeping the current
    /// lastTransitionTime unless the status changes (then it becomes now). Returns whether anything changed.
    /// </summary>
    public static bool Set(List<V1Condition> conditions, V1Condition desired, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Validate(desired);
        var index = conditions.FindIndex(condition => condition.Type == desired.Type);
        var current = index < 0 ? null : conditions[index];
        var since = current is not null && current.Status == desired.Status ? current.LastTransitionTime : desired.LastTransitionTime;
        var next = desired with { LastTransitionTime = since == default ? Now(timeProvider) : since };
        if (current is null)
        {
            conditions.Add(next);
        }
        else if (SameContent(current, next))
        {
            return false;
        }
        else
        {
            conditions[index] = next;
        }

        return true;
    }

    /// <summary>
    /// The conditions a status should carry: <paramref name="desired"/> merged into a copy of <paramref name="current"/>
    /// (other types kept), each with its transition time carried over while its status holds.
    /// </summary>
    public static List<V1Condition> Merge(IEnumerable<V1Condition>? current, IEnumerable<V1Condition> desired, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var merged = current?.Select(condition => condition with { }).ToList() ?? [];
        foreach (var condition in desired)
        {
            Set(merged, condition, timeProvider);
        }

        return merged;
    }

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(condition => condition.Type == type);

    /// <summary>Throws when the API server would refuse the condition (its validation of metav1.Condition).</summary>
    public static void Validate(V1Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (string.IsNullOrEmpty(condition.Type) || condition.Type.Length > 316 || !TypePattern().IsMatch(condition.Type))
        {
            throw new ArgumentException($"'{condition.Type}' is not a valid condition type (a qualified name such as Ready).", nameof(condition));
        }

        if (condition.Status is not (ConditionStatus.True or ConditionStatus.False or ConditionStatus.Unknown))
        {
            throw new ArgumentException($"Condition {condition.Type}: status must be True, False or Unknown, not '{condition.Status}'.", nameof(condition));
        }

        if (string.IsNullOrEmpty(condition.Reason) || condition.Reason.Length > 1024 || !ReasonPattern().IsMatch(condition.Reason))
        {
            throw new ArgumentException($"Condition {condition.Type}: '{condition.Reason}' is not a valid reason (CamelCase, e.g. MinimumReplicasAvailable).", nameof(condition));
        }

        if (condition.Message is { Length: > MaxMessageLength })
        {
            throw new ArgumentException($"Condition {condition.Type}: the message exceeds {MaxMessageLength} characters.", nameof(condition));
        }

        if (condition.ObservedGeneration is < 0)
        {
            throw new ArgumentException($"Condition {condition.Type}: observedGeneration cannot be negative.", nameof(condition));
        }
    }

    // Record equality over every field of the condition, with no message and an empty one the same.
    private static bool SameContent(V1Condition a, V1Condition b) =>
        a with { Message = a.Message ?? string.Empty } == b with { Message = b.Message ?? string.Empty };

    // The library's V1Condition has a non-nullable time: its default means "not set yet", and becomes now.
    // metav1.Time has whole seconds on the wire: a sub-second value would read back different and look like a change.
    private static DateTime Now(TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();

    [GeneratedRegex("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReasonPattern();
}
