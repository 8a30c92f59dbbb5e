namespace ConsoleOperator.Kube.Client.Errors;

/// <summary>The metav1.StatusReason values the client tests for.</summary>
public static class StatusReasons
{
    public const string Unknown = "";

    public const string Unauthorized = "Unauthorized";

    public const string Forbidden = "Forbidden";

    public const string NotFound = "NotFound";

    public const string AlreadyExists = "AlreadyExists";

    public const string Conflict = "Conflict";

    public const string Gone = "Gone";

    public const string Expired = "Expired";

    public const string Invalid = "Invalid";

    public const string ServerTimeout = "ServerTimeout";

    public const string Timeout = "Timeout";

    public const string TooManyRequests = "TooManyRequests";

    public const string BadRequest = "BadRequest";
}
