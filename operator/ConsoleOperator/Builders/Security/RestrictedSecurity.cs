using k8s.Models;

namespace ConsoleOperator.Builders.Security;

/// <summary>
/// Security contexts that pass the Pod Security Standards "restricted" profile: non-root with a fixed uid
/// (so runAsNonRoot holds even for images whose USER is a name), no privilege escalation, no capabilities,
/// the runtime's default seccomp profile, and a read-only root filesystem.
/// </summary>
public static class RestrictedSecurity
{
    public static V1PodSecurityContext Pod(long userId) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = userId,
        RunAsGroup = userId,
        FsGroup = userId,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext Container() => new()
    {
        AllowPrivilegeEscalation = false,
        Privileged = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };
}
