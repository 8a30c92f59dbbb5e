namespace ConsoleOperator.Kube.Runtime.Apply;

/// <summary>What an apply did: the object as it now stands, and whether a request was sent to make it so.</summary>
public sealed record ApplyOutcome<T>(T Object, bool Written)
    where T : class;
