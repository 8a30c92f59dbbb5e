using System.ComponentModel;
using ConsoleOperator.Crds.Schema;
using k8s.Models;

namespace ConsoleOperator.Api.Tokens;

/// <summary>What became of a ConsoleToken. Never holds the token itself: that is only in the Secret.</summary>
public sealed record ConsoleTokenStatus
{
    public ConsoleTokenPhase? Phase { get; init; }

    [Description("When the token stops opening the console.")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [Description("The Secret holding `token` and `url` (the full access URL).")]
    public string? SecretName { get; init; }

    [Description("The console page to open, without the token.")]
    public string? Url { get; init; }

    [Description("The spec generation this status describes.")]
    public long? ObservedGeneration { get; init; }

    [Description("Who is connected with this token: refreshed by the operator's session sweep (every 10 s by default), written only when it changed.")]
    public ConsoleTokenSessions? Sessions { get; init; }

    [Description("When the newest session the operator saw with this token started (a session shorter than one sweep period may go unseen).")]
    public DateTimeOffset? LastConnectedAt { get; init; }

    [ListMap("type")]
    public List<V1Condition>? Conditions { get; init; }
}
