using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Api.Common;
using ConsoleOperator.Api.Proxies;
using ConsoleOperator.Builders;
using ConsoleOperator.Builders.TokenStore;
using ConsoleOperator.Kube.Client.Entities;
using TestKit.Schemas;
using k8s;
using k8s.Models;

namespace ConsoleOperator.Tests.Builders;

/// <summary>Every built object is what kube-apiserver v1.28 accepts, and what the typed client reads back unchanged.</summary>
public sealed class SchemaConformanceTests
{
    public static TheoryData<string> Variants => ["managed", "external-dns", "tls-autoscaling-sessions", "ipv6"];

    private static ConsoleProxyResource Variant(string name)
    {
        var proxy = SampleProxies.Managed();
        return name switch
        {
            "managed" => proxy,
            "external-dns" => SampleProxies.External("redis.corp.example:6379", tls: false),
            "tls-autoscaling-sessions" => SampleProxies.With(proxy, proxy.Spec with
            {
                Tls = new ProxyTlsSpec { SecretName = "console-tls" },
                AllowedOrigins = ["https://portal.example.com"],
                Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 8 },
                Sessions = new SessionPolicySpec { IdleTimeoutSeconds = 300, EnforceExpiry = true, MaxSessionsPerPod = 100 },
                Service = new ProxyServiceSpec { Type = ServiceType.NodePort, Annotations = new() { ["a"] = "b" } },
                Tolerations = [new Toleration { Key = "k", Operator = "Exists" }],
                NodeSelector = new() { ["zone"] = "a" },
                TokenStore = new TokenStoreSpec { Managed = new ManagedTokenStoreSpec { Resources = new ComputeResources { Requests = new() { ["memory"] = new Quantity("64Mi") } } } },
            }),
            "ipv6" => SampleProxies.With(SampleProxies.External("[fd00::15]:6379"), SampleProxies.External().Spec with
            {
                TokenStore = SampleProxies.External("[fd00::15]:6379").Spec.TokenStore,
                Tokens = new TokenPolicySpec { AllowedTargets = ["[fd00:20::]/48:5900-5999", "fd00:30::/64"] },
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> Objects(string variant) =>
        ConsoleProxyObjects.Build(Variant(variant), SampleProxies.Defaults, RedisPassword.Generate()).All();

    private static JsonNode ToJson(IKubernetesObject<V1ObjectMeta> item) =>
        JsonSerializer.SerializeToNode(item, EntityJson.Options.GetTypeInfo(item.GetType())!)!;

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_object_validates_against_the_recorded_openapi_schemas(string variant)
    {
        foreach (var item in Objects(variant))
        {
            var errors = OpenApiSchemas.Shared.Validate(ToJson(item));

            Assert.True(errors.Count == 0, $"{item.Kind}/{item.Metadata.Name}: {string.Join("; ", errors)}");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_object_round_trips_through_the_typed_client_models(string variant)
    {
        foreach (var item in Objects(variant))
        {
            var typeInfo = EntityJson.Options.GetTypeInfo(item.GetType())!;
            var json = JsonSerializer.Serialize(item, typeInfo);
            var read = JsonSerializer.Deserialize(json, typeInfo)!;

            Assert.Equal(json, JsonSerializer.Serialize(read, typeInfo));
        }
    }
}
