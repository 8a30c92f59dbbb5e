using TestKit.Repository;
using System.Text.Json.Nodes;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Crds;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Schemas;
using ConsoleOperator.Rbac;
using ConsoleOperator.Render;
using ConsoleOperator.Tests.Builders;

namespace ConsoleOperator.Tests.Render;

/// <summary>operator/deploy: one `kubectl apply -k` installs a valid, least-privilege operator.</summary>
public sealed class DeployManifestTests
{
    private static readonly string[] OwnedObjectVerbs = ["get", "list", "watch", "create", "patch", "delete"];

    private static string DeployDirectory => Path.Combine(Checkout.Root, "operator", "deploy");

    private static IReadOnlyList<string> Resources()
    {
        var kustomization = YamlJsonReader.ReadDocuments(File.ReadAllText(Path.Combine(DeployDirectory, "kustomization.yaml")))[0];
        return [.. kustomization["resources"]!.AsArray().Select(node => (string)node!)];
    }

    private static IEnumerable<JsonObject> Objects() =>
        Resources().SelectMany(file => YamlJsonReader.ReadDocuments(File.ReadAllText(Path.Combine(DeployDirectory, file)))).Select(node => node.AsObject());

    private static JsonObject Single(string kind) => Objects().Single(item => (string?)item["kind"] == kind);

    [Fact]
    public void The_crd_copies_are_exactly_the_generated_crds()
    {
        foreach (var (name, content) in CrdCatalog.Files())
        {
            var copy = Path.Combine(DeployDirectory, "crds", name);

            Assert.True(File.Exists(copy) && File.ReadAllText(copy) == content, $"operator/deploy/crds/{name} differs from the API types: run `console-operator crds --output-dir operator/deploy/crds`.");
            Assert.Contains($"crds/{name}", Resources());
        }
    }

    [Fact]
    public void The_roles_are_exactly_the_ones_generated_from_the_EntityRbac_attributes()
    {
        foreach (var (name, content) in OperatorRbac.Files())
        {
            var copy = Path.Combine(DeployDirectory, name);

            Assert.True(File.Exists(copy) && File.ReadAllText(copy) == content, $"operator/deploy/{name} differs from the [EntityRbac] attributes: run `make rbac`.");
            Assert.Contains(name, Resources());
        }
    }

    [Fact]
    public void The_kustomization_lists_every_manifest_in_the_folder_and_nothing_missing()
    {
        var onDisk = Directory.GetFiles(DeployDirectory, "*.yaml", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(DeployDirectory, path).Replace('\\', '/'))
            .Where(path => path != "kustomization.yaml")
            .Order(StringComparer.Ordinal);

        Assert.Equal(onDisk, Resources().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_manifest_validates_against_the_recorded_openapi_schemas()
    {
        foreach (var item in Objects())
        {
            var errors = OpenApiSchemas.Shared.Validate(item);

            Assert.True(errors.Count == 0, $"{item["kind"]}/{item["metadata"]!["name"]}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void The_cluster_role_lets_the_operator_apply_watch_and_delete_every_kind_it_builds_and_nothing_more()
    {
        var rules = Single("ClusterRole")["rules"]!.AsArray().Select(rule => rule!.AsObject()).ToList();
        var proxy = SampleProxies.Managed();
        var built = ConsoleProxyObjects.Build(
            SampleProxies.With(proxy, proxy.Spec with { Autoscaling = new Api.Proxies.AutoscalingSpec { MaxReplicas = 3 } }),
            SampleProxies.Defaults,
            RedisPassword.Generate()).All();

        foreach (var item in built)
        {
            var resource = KnownResources.Find(item.ApiVersion!, item.Kind!)!;
            foreach (var verb in OwnedObjectVerbs)
            {
                Assert.True(Grants(rules, resource.Group, resource.Plural, verb), $"no {verb} on {resource.Group}/{resource.Plural}");
            }
        }

        Assert.All(rules, rule => Assert.DoesNotContain("*", rule["verbs"]!.AsArray().Select(v => (string)v!)));
        Assert.All(rules, rule => Assert.DoesNotContain("*", rule["resources"]!.AsArray().Select(v => (string)v!)));
        Assert.False(Grants(rules, "coordination.k8s.io", "leases", "update"), "leases belong in the namespaced Role");
        Assert.False(Grants(rules, "consoleoperator.dev", "consoleproxies", "delete"), "the operator never deletes a ConsoleProxy");
        Assert.True(Grants(rules, "consoleoperator.dev", "consoleproxies/finalizers", "update"), "blockOwnerDeletion needs update on the owner's finalizers");
        Assert.True(Grants(rules, "events.k8s.io", "events", "create"));
    }

    [Fact]
    public void Leader_election_is_limited_to_leases_in_the_operator_namespace()
    {
        var role = Single("Role");
        var rule = Assert.Single(role["rules"]!.AsArray())!;

        Assert.Equal("console-operator", (string?)role["metadata"]!["namespace"]);
        Assert.Equal(["leases"], rule["resources"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("console-operator", (string?)Single("RoleBinding")["subjects"]![0]!["name"]);
    }

    [Fact]
    public void The_operator_runs_leader_elected_hardened_and_probed()
    {
        var pod = Single("Deployment")["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;

        Assert.Equal(["run", "--leader-elect", "--metrics-port", "8080"], container["args"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("console-operator", (string?)pod["serviceAccountName"]);
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal("ALL", (string?)container["securityContext"]!["capabilities"]!["drop"]![0]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
    }

    private static bool Grants(List<JsonObject> rules, string group, string resource, string verb) =>
        rules.Any(rule =>
            rule["apiGroups"]!.AsArray().Any(g => (string?)g == group)
            && rule["resources"]!.AsArray().Any(r => (string?)r == resource)
            && rule["verbs"]!.AsArray().Any(v => (string?)v == verb));
}
