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
    /// The conditions a status should carry: <paramref name="desired"/> merged into a copy of <paramref name="current"/>
    /// (other types kept, one condition per type), each keeping its lastTransitionTime while its status holds (when
    /// the status changes it becomes now).
    /// </summary>
    public static List<V1Condition> Merge(IEnumerable<V1Condition>? current, IEnumerable<V1Condition> desired, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var merged = current?.Select(condition => condition with { }).ToList() ?? [];
        foreach (var condition in desired)
        {
            Validate(condition);
            var index = merged.FindIndex(existing => existing.Type == condition.Type);
            var since = index >= 0 && merged[index].Status == condition.Status ? merged[index].LastTransitionTime : condition.LastTransitionTime;
            var next = condition with { LastTransitionTime = since == default ? Now(timeProvider) : since };
            if (index < 0)
            {
                merged.Add(next);
            }
            else
            {
                merged[index] = next;
            }
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
