namespace ConsoleOperator.OnRealApiServer.Tests.Render;

/// <summary>
/// ConsoleProxies that between them set every option of the spec, so every branch of the builders produces an
/// object for the real API server to judge (the examples cover the common shapes).
/// </summary>
public static class EveryOptionProxies
{
    /// <summary>External Redis with a password Secret and TLS, serving TLS, PDB, pinned replicas, scheduling, sessions.</summary>
    public const string External = """
        apiVersion: consoleoperator.dev/v1alpha1
        kind: ConsoleProxy
        metadata:
          name: every-external
          labels:
            team: compute
        spec:
          replicas: 3
          image: registry.example.com/consoleproxy:1.2.3
          resources:
            requests:
              cpu: 250m
              memory: 128Mi
            limits:
              cpu: "2"
              memory: 1Gi
          nodeSelector:
            node-role.kubernetes.io/edge: ""
          tolerations:
            - key: dedicated
              operator: Equal
              value: consoles
              effect: NoSchedule
            - key: node.kubernetes.io/unreachable
              operator: Exists
              effect: NoExecute
              tolerationSeconds: 30
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - key: topology.kubernetes.io/zone
                        operator: In
                        values: [zone-a, zone-b]
          podDisruptionBudget:
            minAvailable: 2
          service:
            type: LoadBalancer
            port: 443
            annotations:
              service.beta.kubernetes.io/aws-load-balancer-type: nlb
          publicURL: https://consoles.example.com/region-1
          tls:
            secretName: console-tls
          allowedOrigins:
            - https://portal.example.com
            - dashboard.example.com
          tokenStore:
            external:
              address: 10.30.0.15:6380
              passwordSecretRef:
                name: console-redis
                key: password
              tls: true
          tokens:
            defaultTTLSeconds: 300
            maxTTLSeconds: 7200
            allowedTargets:
              - 10.20.0.0/16:5900-5999
              - 10.21.0.7:5901
              - 10.22.0.0/24
              - "[fd00:20::]/48:5900-5999"
            namespaces: [tenant-a, tenant-b]
          sessions:
            idleTimeoutSeconds: 900
            maxDurationSeconds: 28800
            enforceExpiry: true
            maxSessionsPerPod: 500
        """;

    /// <summary>Managed Redis with its own image and resources, autoscaling (no fixed replicas), NodePort, DNS-named external store elsewhere.</summary>
    public const string Managed = """
        apiVersion: consoleoperator.dev/v1alpha1
        kind: ConsoleProxy
        metadata:
          name: every-managed
        spec:
          autoscaling:
            minReplicas: 2
            maxReplicas: 20
            targetCPUUtilizationPercentage: 50
          podDisruptionBudget:
            minAvailable: 1
          service:
            type: NodePort
          publicURL: http://console.internal:6080
          tokenStore:
            managed:
              image: registry.example.com/redis:7.2
              resources:
                requests:
                  cpu: 50m
                  memory: 64Mi
                limits:
                  memory: 256Mi
          tokens:
            allowedTargets:
              - 192.168.10.0/24:5900-5999
          sessions:
            enforceExpiry: false
            maxSessionsPerPod: 0
        """;

    /// <summary>The least a user can write: every default applies; an external store named by DNS (egress pinned by port only).</summary>
    public const string Minimal = """
        apiVersion: consoleoperator.dev/v1alpha1
        kind: ConsoleProxy
        metadata:
          name: minimal
        spec:
          replicas: 0
          publicURL: https://console.example.com
          tokenStore:
            external:
              address: redis.consoles.svc:6379
          tokens:
            allowedTargets: ["10.0.0.0/8"]
        """;
}
