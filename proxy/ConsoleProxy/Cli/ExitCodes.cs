namespace ConsoleProxy.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Refused or failed: a clear message went to stderr.</summary>
    public const int Failed = 1;

    /// <summary>The command line (or a CONSOLEPROXY_* variable) was wrong.</summary>
    public const int Usage = 2;
}
