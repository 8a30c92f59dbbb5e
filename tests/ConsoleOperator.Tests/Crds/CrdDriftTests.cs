using TestKit.Repository;
using ConsoleOperator.Crds;

namespace ConsoleOperator.Tests.Crds;

/// <summary>The committed crds/ must be exactly what the C# API types generate.</summary>
public sealed class CrdDriftTests
{
    [Fact]
    public void Committed_crds_match_the_generated_yaml()
    {
        var directory = Path.Combine(Checkout.Root, "crds");
        var generated = CrdCatalog.Files();

        var committed = Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), committed);
        foreach (var (name, content) in generated)
        {
            var onDisk = File.ReadAllText(Path.Combine(directory, name));
            Assert.True(onDisk == content, $"crds/{name} differs from the API types: run `make crds` and commit the result.");
        }
    }
}
