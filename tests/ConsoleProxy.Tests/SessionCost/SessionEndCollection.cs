namespace ConsoleProxy.Tests.SessionCost;

/// <summary>
/// Tests that count what the whole process throws: they run alone, since an exception of a test running beside them
/// would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SessionEndCollection
{
    public const string Name = "Session end, counted process-wide";
}
