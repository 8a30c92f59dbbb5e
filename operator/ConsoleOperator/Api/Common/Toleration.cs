using System.ComponentModel;

namespace ConsoleOperator.Api.Common;

/// <summary>A Pod toleration, passed through to the proxy pods unchanged.</summary>
public sealed record Toleration
{
    public string? Key { get; init; }

    [Description("Exists or Equal (default Equal).")]
    public string? Operator { get; init; }

    public string? Value { get; init; }

    [Description("NoSchedule, PreferNoSchedule or NoExecute; empty matches all effects.")]
    public string? Effect { get; init; }

    public long? TolerationSeconds { get; init; }
}
