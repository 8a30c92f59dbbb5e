namespace ConsoleOperator.EndToEnd.Cluster;

public sealed record KubectlResult(int ExitCode, string Output, string Error);
