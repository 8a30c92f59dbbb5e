namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// The browser test classes share one <see cref="ConsoleStack"/> (one Chromium, one VM, one proxy)
/// and run one after the other: on a small machine, several browsers at once only make every test
/// slower and flakier.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserTestCollection : ICollectionFixture<ConsoleStack>
{
    public const string Name = "Browser";
}
