namespace ConsoleOperator.Api.Proxies;

/// <summary>How the proxy's Service is exposed.</summary>
public enum ServiceType
{
    ClusterIP,
    NodePort,
    LoadBalancer,
}
