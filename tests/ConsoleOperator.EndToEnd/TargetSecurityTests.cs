using System.Text;
using ConsoleOperator.EndToEnd.Cluster;
using TestKit.Tls;

namespace ConsoleOperator.EndToEnd;

/// <summary>
/// spec.targetSecurity on a real cluster: the proxy pods start with the client certificate Secret and the operator's
/// VNC password keyring mounted, and a renewed certificate reaches the running pods' files without a restart.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TargetSecurityTests(OperatorInstallation cluster)
{
    private const string SecretName = "compute-vnc-client";
    private const string CertificateFile = "/etc/consoleproxy/target-tls/tls.crt";

    // The kubelet refreshes a mounted Secret on its sync period (1 min by default) plus its cache's TTL.
    private static readonly TimeSpan RefreshBound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_client_certificate_and_the_keyring_are_mounted_and_a_renewed_certificate_reaches_the_running_pod()
    {
        using var authority = TestCertificateAuthority.Create("e2e-compute-ca", TimeProvider.System);
        var first = authority.IssueClient("consoleproxy");
        await using var fleet = await ProxyFleet.CreateAsync(cluster, "secured", replicas: 1, before: f => ApplySecretAsync(f, authority, first), targetTlsSecret: SecretName);
        var pod = PodJson.Name(Assert.Single(await fleet.PodsAsync("proxy")));

        Assert.Equal(first.CertificatePem.Trim(), (await CatAsync(fleet, pod, CertificateFile)).Trim());
        var keyring = await CatAsync(fleet, pod, "/etc/consoleproxy/vnc-password-key/keyring");
        Assert.Equal(32, Convert.FromBase64String(keyring.Trim()).Length);

        var renewed = authority.IssueClient("consoleproxy");
        await ApplySecretAsync(fleet, authority, renewed);

        await Eventually.TrueAsync(
            async () => (await CatAsync(fleet, pod, CertificateFile)).Trim() == renewed.CertificatePem.Trim(),
            "the renewed certificate in the running proxy pod's file",
            RefreshBound);
        var after = Assert.Single(await fleet.PodsAsync("proxy"));
        Assert.Equal(pod, PodJson.Name(after));
        Assert.Equal(0, after.GetProperty("status").GetProperty("containerStatuses")[0].GetProperty("restartCount").GetInt32());
    }

    private static Task<string> ApplySecretAsync(ProxyFleet fleet, TestCertificateAuthority authority, IssuedCertificate client) =>
        fleet.Kubectl.ApplyAsync($"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {SecretName}
            type: kubernetes.io/tls
            data:
              tls.crt: {Base64(client.CertificatePem)}
              tls.key: {Base64(client.KeyPem)}
              ca.crt: {Base64(authority.CertificatePem)}
            """, fleet.Namespace);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    // The proxy image has busybox (for the preStop sleep); its cat reads the mounted file.
    private static Task<string> CatAsync(ProxyFleet fleet, string pod, string path) =>
        fleet.Kubectl.OutputAsync("exec", "-n", fleet.Namespace, pod, "--", "/bin/busybox", "cat", path);
}
