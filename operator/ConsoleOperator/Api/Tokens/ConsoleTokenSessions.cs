using System.ComponentModel;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Api.Tokens;

/// <summary>Who is connected through a ConsoleToken, as of the operator's last session sweep.</summary>
public sealed record ConsoleTokenSessions
{
    /// <summary>The most sessions <see cref="Current"/> lists; <see cref="Count"/> counts them all.</summary>
    public const int MaxListed = 20;

    [Description("Live sessions opened with this token, across every proxy pod.")]
    public int Count { get; init; }

    [Items(MaxItems = MaxListed)]
    [Description("The live sessions, oldest first; at most 20 are listed (count counts them all).")]
    public List<ConsoleTokenSession>? Current { get; init; }
}
