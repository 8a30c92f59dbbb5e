using System.Security.Cryptography;

namespace ConsoleOperator.Hosting;

/// <summary>
/// This replica's identity in the lease: the pod name (POD_NAME, from the downward API), else the host name with a
/// random suffix, so two processes on one machine never both believe they hold the lease.
/// </summary>
public static class OperatorIdentity
{
    public static string Resolve(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var podName = environment("POD_NAME");
        if (!string.IsNullOrWhiteSpace(podName))
        {
            return podName.Trim();
        }

        return $"{Environment.MachineName}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
