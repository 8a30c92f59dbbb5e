using System.ComponentModel;

namespace ConsoleOperator.Api.Tokens;

/// <summary>One live console session of a ConsoleToken, as its proxy pod publishes it (never the token itself).</summary>
public sealed record ConsoleTokenSession
{
    [Description("The proxy pod relaying the session.")]
    public string? Pod { get; init; }

    [Description("The client's address as the proxy saw it.")]
    public string? Client { get; init; }

    [Description("When the session started relaying.")]
    public DateTimeOffset? Since { get; init; }

    [Description("Whether the session's keyboard and mouse input is dropped.")]
    public bool ViewOnly { get; init; }
}
