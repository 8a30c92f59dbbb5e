namespace ConsoleOperator.Builders.Proxy;

/// <summary>
/// Fixed facts of a proxy pod: its port, its user, where the TLS Secret is mounted, and the shutdown timeline.
/// On deletion Kubernetes runs preStop and removes the pod from the Service endpoints in parallel; the sleep
/// keeps the pod serving until load balancers stopped sending new sessions, then SIGTERM starts the drain
/// (live sessions get <see cref="DrainTimeout"/> to finish before they are closed with 1001).
/// </summary>
public static class ProxyPod
{
    public const string ContainerName = "consoleproxy";

    /// <summary>The port the proxy listens on inside the pod (nova-novncproxy's 6080); the Service maps its own port to it.</summary>
    public const int ContainerPort = 6080;

    public const string PortName = "http";

    /// <summary>The non-root user of the proxy image (distroless "nonroot").</summary>
    public const long UserId = 65532;

    public const string TlsVolumeName = "tls";

    public const string TlsMountPath = "/etc/consoleproxy/tls";

    public const string TlsCertificateFile = TlsMountPath + "/tls.crt";

    public const string TlsKeyFile = TlsMountPath + "/tls.key";

    public const string TmpVolumeName = "tmp";

    /// <summary>spec.targetSecurity.tlsSecretName: the client certificate for the compute nodes and their CA.</summary>
    public const string TargetTlsVolumeName = "target-tls";

    public const string TargetTlsMountPath = "/etc/consoleproxy/target-tls";

    /// <summary>The operator-managed keyring that opens sealed VNC passwords.</summary>
    public const string VncPasswordKeyVolumeName = "vnc-password-key";

    public const string VncPasswordKeyMountPath = "/etc/consoleproxy/vnc-password-key";

    /// <summary>The external token store's CA, from the Secret key the ConsoleProxy names.</summary>
    public const string RedisCaVolumeName = "redis-ca";

    public const string RedisCaMountPath = "/etc/consoleproxy/redis-ca";

    public const string RedisCaFile = RedisCaMountPath + "/ca.crt";

    /// <summary>The client certificate offered to the external token store (a kubernetes.io/tls Secret).</summary>
    public const string RedisClientVolumeName = "redis-client";

    public const string RedisClientMountPath = "/etc/consoleproxy/redis-client";

    public const string RedisClientCertificateFile = RedisClientMountPath + "/tls.crt";

    public const string RedisClientKeyFile = RedisClientMountPath + "/tls.key";

    public static TimeSpan PreStopDelay { get; } = TimeSpan.FromSeconds(5);

    public static TimeSpan DrainTimeout { get; } = TimeSpan.FromSeconds(25);

    /// <summary>Slack after the drain for the process to flush and exit before SIGKILL.</summary>
    public static TimeSpan ShutdownMargin { get; } = TimeSpan.FromSeconds(10);

    public static TimeSpan TerminationGracePeriod => PreStopDelay + DrainTimeout + ShutdownMargin;
}
