namespace ConsoleOperator.OnRealApiServer.Tests.Cluster;

/// <summary>
/// Every test class here shares one API server (start-up is about 8 s): they run one after another and keep apart by
/// namespace.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealApiServerCollection : ICollectionFixture<RealApiServer>
{
    public const string Name = "real API server";
}
