namespace ConsoleOperator.Kube.Runtime.Rbac;

/// <summary>Where a permission is granted.</summary>
public enum RbacScope
{
    /// <summary>In every namespace: a rule of the operator's ClusterRole.</summary>
    Cluster,

    /// <summary>Only in the namespace the operator runs in (its leader-election Lease): a rule of its Role.</summary>
    OperatorNamespace,
}
