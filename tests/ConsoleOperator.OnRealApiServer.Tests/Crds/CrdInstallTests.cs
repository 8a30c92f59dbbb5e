using ConsoleOperator.OnRealApiServer.Tests.Cluster;

namespace ConsoleOperator.OnRealApiServer.Tests.Crds;

/// <summary>The generated CRDs (crds/*.yaml) as a real API server judges them: structural schema, list-map keys, CEL.</summary>
[Collection(RealApiServerCollection.Name)]
public sealed class CrdInstallTests(RealApiServer cluster)
{
    [Fact]
    public async Task Every_generated_crd_is_accepted_and_becomes_established_with_its_names_accepted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var crds = await RealApiServer.ReadCrdsAsync(timeout.Token);
        Assert.Equal(2, crds.Count);
        foreach (var crd in crds)
        {
            // A refused CRD throws here with the server's reasons (422 Invalid).
            await cluster.ApplyCrdAsync(crd, timeout.Token);
        }

        foreach (var crd in crds)
        {
            var name = crd["metadata"]!["name"]!.GetValue<string>();
            var established = await cluster.WaitUntilEstablishedAsync(name, timeout.Token);
            var namesAccepted = Assert.Single(established.Status.Conditions, c => c.Type == "NamesAccepted");
            Assert.True(namesAccepted.Status == "True", $"{name}: NamesAccepted {namesAccepted.Status} {namesAccepted.Reason}: {namesAccepted.Message}");
            Assert.Equal(crd["spec"]!["names"]!["kind"]!.GetValue<string>(), established.Status.AcceptedNames.Kind);
        }
    }
}
