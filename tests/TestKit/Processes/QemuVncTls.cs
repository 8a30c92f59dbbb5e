namespace TestKit.Processes;

/// <summary>
/// QEMU's VNC server over TLS (VeNCrypt x509): <paramref name="CredentialsDirectory"/> holds QEMU's file names
/// (ca-cert.pem, server-cert.pem, server-key.pem); with <paramref name="VerifyPeer"/> clients must show a
/// certificate that CA signed.
/// </summary>
public sealed record QemuVncTls(string CredentialsDirectory, bool VerifyPeer);
