using System.Text;

namespace TestKit.Kubernetes;

/// <summary>A kubeconfig for one server and one bearer token, as kubectl, KubernetesClient and the operator read it.</summary>
public static class Kubeconfig
{
    public static string Render(Uri server, string caPem, string user, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
          - name: test
            cluster:
              server: {server.ToString().TrimEnd('/')}
              certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}
        users:
          - name: {user}
            user:
              token: {token}
        contexts:
          - name: test
            context:
              cluster: test
              user: {user}
        current-context: test

        """;

    public static async Task WriteAsync(string path, Uri server, string caPem, string user, string token, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, Render(server, caPem, user, token), cancellationToken);
        // It holds a credential: readable by this user only.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
