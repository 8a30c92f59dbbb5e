using System.Diagnostics.CodeAnalysis;

namespace ConsoleProxy.Sessions;

/// <summary>The `--on-session-limit` texts.</summary>
public static class SessionLimitActions
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out SessionLimitAction? action)
    {
        action = text?.Trim().ToLowerInvariant() switch
        {
            "reject" => SessionLimitAction.Reject,
            "takeover" => SessionLimitAction.Takeover,
            _ => null,
        };
        return action is not null;
    }
}
