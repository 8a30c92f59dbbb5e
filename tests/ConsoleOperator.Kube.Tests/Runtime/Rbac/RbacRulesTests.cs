using ConsoleOperator.Kube.Runtime.Rbac;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.Runtime.Rbac;

public sealed class RbacRulesTests
{
    [Fact]
    public void Verbs_are_merged_per_resource_and_resources_with_the_same_verbs_share_a_rule()
    {
        var rules = RbacRules.For([typeof(SecretsReader), typeof(SecretsWriter)], inOperatorNamespace: false);

        var core = Assert.Single(rules, rule => rule.ApiGroups.Single() == string.Empty);
        Assert.Equal(["secrets", "configmaps"], core.Resources);
        Assert.Equal(["get", "list", "watch", "create", "patch"], core.Verbs);
        var apps = Assert.Single(rules, rule => rule.ApiGroups.Single() == "apps");
        Assert.Equal(["deployments"], apps.Resources);
        Assert.Equal(["get", "list", "watch", "create", "patch", "delete"], apps.Verbs);
    }

    [Fact]
    public void A_subresource_is_its_own_resource_and_the_scope_picks_the_role()
    {
        var cluster = RbacRules.For([typeof(StatusWriter)], inOperatorNamespace: false);
        var local = RbacRules.For([typeof(StatusWriter)], inOperatorNamespace: true);

        var status = Assert.Single(cluster);
        Assert.Equal(["deployments/status"], status.Resources);
        Assert.Equal(["patch"], status.Verbs);
        var lease = Assert.Single(local);
        Assert.Equal(("coordination.k8s.io", "leases"), (lease.ApiGroups.Single(), lease.Resources.Single()));
        Assert.Equal(["get", "update"], lease.Verbs);
    }

    [Fact]
    public void A_type_without_KubernetesEntity_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RbacRules.For([typeof(NotAnEntityUser)], inOperatorNamespace: false));

        Assert.Contains(nameof(String), error.Message, StringComparison.Ordinal);
    }

    [EntityRbac(typeof(V1Secret), typeof(V1ConfigMap), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
    private sealed class SecretsReader;

    [EntityRbac(typeof(V1Secret), typeof(V1ConfigMap), Verbs = RbacVerb.Create | RbacVerb.Patch)]
    [EntityRbac(typeof(V1Deployment), Verbs = RbacVerb.Own)]
    private sealed class SecretsWriter;

    [EntityRbac(typeof(V1Deployment), Subresource = "status", Verbs = RbacVerb.Patch)]
    [EntityRbac(typeof(V1Lease), Verbs = RbacVerb.Get | RbacVerb.Update, InOperatorNamespace = true)]
    private sealed class StatusWriter;

    [EntityRbac(typeof(string), Verbs = RbacVerb.Get)]
    private sealed class NotAnEntityUser;
}
