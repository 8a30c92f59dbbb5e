namespace ConsoleOperator.Hosting;

/// <summary>How the operator writes its logs to stdout.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line with the message template's fields: for log collectors.</summary>
    Json,

    /// <summary>One readable line per message: for a terminal.</summary>
    Simple,
}
