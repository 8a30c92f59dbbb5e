namespace ConsoleOperator.Kube.Runtime.Rbac;

/// <summary>The Kubernetes API verbs an <see cref="EntityRbacAttribute"/> grants.</summary>
[Flags]
public enum RbacVerb
{
    None = 0,
    Get = 1,
    List = 2,
    Watch = 4,
    Create = 8,
    Update = 16,
    Patch = 32,
    Delete = 64,

    /// <summary>What a controller needs for objects it owns and applies: read, watch, create, apply (patch) and delete.</summary>
    Own = Get | List | Watch | Create | Patch | Delete,
}
