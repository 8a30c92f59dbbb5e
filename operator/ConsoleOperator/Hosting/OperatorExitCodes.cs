namespace ConsoleOperator.Hosting;

/// <summary>What `console-operator run` exits with, so a supervisor (or a person) can tell a bad start from a crash.</summary>
public static class OperatorExitCodes
{
    /// <summary>Stopped on request (SIGTERM, Ctrl-C) after a clean shutdown.</summary>
    public const int Stopped = 0;

    /// <summary>Failed while running (e.g. the controllers stopped with an error, the metrics port was taken).</summary>
    public const int Failed = 1;

    /// <summary>Could not start: the settings or the cluster configuration are wrong; the message says which.</summary>
    public const int InvalidConfiguration = 2;
}
