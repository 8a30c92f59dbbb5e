namespace ConsoleOperator.EndToEnd.Cluster;

/// <summary>
/// One collection: the tests share one cluster and one operator, and some of them restart the operator or roll
/// pods, so they run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<OperatorInstallation>
{
    public const string Name = "cluster";
}
