using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders.Naming;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Runtime.Conditions;
using ConsoleProxy.Tokens.Store;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// A token store's refusal (classified by the store library, the same code the proxy's start-up uses) as the
/// ConsoleProxy's TokenStoreReady condition: a reason per refusal and a message that names the Secret, key or field
/// to fix, since that is where a ConsoleProxy's store settings live (the library's own message names CLI options).
/// </summary>
internal static class TokenStoreRefusalHealth
{
    public static TokenStoreHealth For(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, string location, TokenStoreRefusedException refusal)
    {
        var ns = proxy.Metadata.NamespaceProperty;
        return refusal.Refusal switch
        {
            TokenStoreRefusal.AuthenticationFailed => Refused(ConsoleProxyReasons.AuthenticationFailed, location, refusal, Credentials(proxy, endpoint, ns)),
            TokenStoreRefusal.SentinelMasterUnknown => Refused(
                ConsoleProxyReasons.SentinelMasterUnknown,
                location,
                refusal,
                "set spec.tokenStore.external.sentinel.masterName to the name the sentinels monitor the store under (their `sentinel monitor <name> ...` line)"),
            TokenStoreRefusal.TlsVerificationFailed => Refused(ConsoleProxyReasons.TlsVerificationFailed, location, refusal, Certificates(endpoint, ns, location, refusal)),
            _ => Refused(ConsoleProxyReasons.ClusterModeUnsupported, location, refusal, "point spec.tokenStore.external at a single Redis or at Sentinel (spec.tokenStore.external.sentinel); Redis Cluster is not supported"),
        };
    }

    private static TokenStoreHealth Refused(string reason, string location, TokenStoreRefusedException refusal, string fix) =>
        new(ConditionStatus.False, reason, $"the operator cannot use the token store at {location}: {refusal.Detail}; {fix}");

    private static string Credentials(ConsoleProxyResource proxy, TokenStoreEndpoint endpoint, string? ns)
    {
        if (endpoint.IsManaged)
        {
            // The managed Redis takes its password from the same Secret: a mismatch is a rotation still rolling out.
            return $"the managed Redis (Deployment {ConsoleProxyNames.For(proxy).Redis}) does not take the password in Secret {ns}/{endpoint.PasswordSecret?.Name} key {endpoint.PasswordSecret?.Key} yet; it does once its pod restarts with that Secret";
        }

        if (endpoint.PasswordSecret is not { } password)
        {
            return "the server wants a password: name the Secret key that holds it in spec.tokenStore.external.passwordSecretRef";
        }

        var user = endpoint.UsernameSecret is { } username
            ? $" and the ACL user in Secret {ns}/{username.Name} key {username.Key} (spec.tokenStore.external.usernameSecretRef)"
            : " (and, for an ACL user other than default, name its Secret key in spec.tokenStore.external.usernameSecretRef)";
        return $"fix the password in Secret {ns}/{password.Name} key {password.Key} (spec.tokenStore.external.passwordSecretRef){user}";
    }

    private static string Certificates(TokenStoreEndpoint endpoint, string? ns, string location, TokenStoreRefusedException refusal)
    {
        if (refusal.ClientCertificateRefused)
        {
            return endpoint.ClientCertificateSecret is { } client
                ? $"the server must trust the certificate in Secret {ns}/{client} (spec.tokenStore.external.clientCertificateSecretName): sign it with a CA in the server's tls-ca-cert-file"
                : "the server asks for a client certificate: name a kubernetes.io/tls Secret its CA signed in spec.tokenStore.external.clientCertificateSecretName";
        }

        return endpoint.CaSecret is { } ca
            ? $"the server's certificate must be signed by the CA in Secret {ns}/{ca.Name} key {ca.Key} (spec.tokenStore.external.caSecretRef) and name the host it is reached at ({location})"
            : $"the server's certificate must be signed by a CA the operator trusts and name the host it is reached at ({location}); for a private CA, name its Secret in spec.tokenStore.external.caSecretRef";
    }
}
