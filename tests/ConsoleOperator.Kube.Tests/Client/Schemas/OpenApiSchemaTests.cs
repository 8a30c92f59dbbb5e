using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Entities;
using TestKit.Fixtures;
using TestKit.Schemas;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.KubeClient.Schemas;

/// <summary>The OpenAPI validator against the recorded schemas: what the server accepted passes, broken objects fail with a path.</summary>
public sealed class OpenApiSchemaTests
{
    private static readonly OpenApiSchemas Schemas = OpenApiSchemas.Shared;

    public static TheoryData<string> AcceptedCreateBodies()
    {
        var data = new TheoryData<string>();
        foreach (var exchange in FixtureLibrary.All.Where(e => e.Method == "POST" && e.Status == 201 && e.RequestContentType == "application/json"))
        {
            var body = JsonNode.Parse(exchange.Request.Body!)!;
            // 05/03 carries unknown fields on purpose (the server pruned them with a warning); 05/08 a duplicate key.
            if (Schemas.Knows((string)body["apiVersion"]!, (string)body["kind"]!) && !exchange.Dir.StartsWith("05-validation", StringComparison.Ordinal))
            {
                data.Add(exchange.Dir);
            }
        }

        return data;
    }

    [Fact]
    public void Every_kind_the_operator_writes_has_a_recorded_schema()
    {
        foreach (var (apiVersion, kind) in new[]
        {
            ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "Service"), ("v1", "ServiceAccount"), ("apps/v1", "Deployment"),
            ("policy/v1", "PodDisruptionBudget"), ("autoscaling/v2", "HorizontalPodAutoscaler"), ("networking.k8s.io/v1", "NetworkPolicy"),
            ("coordination.k8s.io/v1", "Lease"), ("events.k8s.io/v1", "Event"), ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ("example.dev/v1", "Widget"),
        })
        {
            Assert.True(Schemas.Knows(apiVersion, kind), $"{apiVersion} {kind}");
        }
    }

    [Theory]
    [InlineData("20-typical-operator-outputs/01-configmap-201")]
    [InlineData("20-typical-operator-outputs/02-serviceaccount-201")]
    [InlineData("20-typical-operator-outputs/03-deployment-201")]
    [InlineData("20-typical-operator-outputs/04-service-201")]
    [InlineData("20-typical-operator-outputs/05-poddisruptionbudget-201")]
    [InlineData("20-typical-operator-outputs/06-horizontalpodautoscaler-v2-201")]
    [InlineData("20-typical-operator-outputs/07-networkpolicy-201")]
    [InlineData("20-typical-operator-outputs/08-horizontalpodautoscaler-v2-partial-behavior-defaulted-201")]
    [InlineData("20-typical-operator-outputs/09-horizontalpodautoscaler-v2-no-metrics-defaulted-201")]
    public void The_typical_operator_outputs_validate(string dir)
    {
        var errors = Schemas.Validate(JsonNode.Parse(FixtureLibrary.Get(dir).Request.Body!));

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(AcceptedCreateBodies))]
    public void Every_body_the_server_created_validates(string dir)
    {
        Assert.Empty(Schemas.Validate(JsonNode.Parse(FixtureLibrary.Get(dir).Request.Body!)));
    }

    [Fact]
    public void The_server_responses_of_the_typical_outputs_validate_too()
    {
        foreach (var exchange in FixtureLibrary.Scenario("20-typical-operator-outputs"))
        {
            var response = JsonNode.Parse(exchange.Response.Body!)!;
            // Responses carry nulls the schemas do not declare nullable (creationTimestamp: null, currentMetrics: null).
            var errors = Schemas.Validate(response).Where(e => e.Message != "null is not allowed here").ToList();
            Assert.True(errors.Count == 0, $"{exchange.Dir}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void A_deployment_built_with_the_typed_models_validates()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "demo", Labels = new Dictionary<string, string>() { ["app"] = "web" } },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>() { ["app"] = "web" } },
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 0 } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>() { ["app"] = "web" } },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "web",
                                Image = "nginx:1.25",
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }],
                                ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = "http" } },
                                SecurityContext = new V1SecurityContext { RunAsNonRoot = true, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                            },
                        ],
                    },
                },
            },
        };

        var errors = Schemas.Validate(JsonSerializer.SerializeToNode(deployment.WithTypeMeta(), EntityJson.TypeInfo<V1Deployment>()));

        Assert.Empty(errors);
    }

    [Fact]
    public void A_lease_of_the_library_with_micro_times_validates()
    {
        var lease = new k8s.Models.V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new k8s.Models.V1ObjectMeta { Name = "leader", NamespaceProperty = "demo" },
            Spec = new k8s.Models.V1LeaseSpec { HolderIdentity = "pod-a", LeaseDurationSeconds = 15, RenewTime = DateTime.UnixEpoch, LeaseTransitions = 0 },
        };

        Assert.Empty(Schemas.Validate(JsonNode.Parse(k8s.KubernetesJson.Serialize(lease, ConsoleOperator.Kube.Client.Entities.EntityJson.Options))));
    }

    [Fact]
    public void A_wrong_type_is_reported_at_its_path()
    {
        var deployment = Body("20-typical-operator-outputs/03-deployment-201");
        deployment["spec"]!["replicas"] = "two";

        var error = Assert.Single(Schemas.Validate(deployment));

        Assert.Equal("$.spec.replicas", error.Path);
        Assert.Contains("integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_field_is_reported_on_its_parent()
    {
        var deployment = Body("20-typical-operator-outputs/03-deployment-201");
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().Remove("name");

        var error = Assert.Single(Schemas.Validate(deployment));

        Assert.Equal("$.spec.template.spec.containers[0]", error.Path);
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_is_reported_where_the_server_would_prune_it()
    {
        var service = Body("20-typical-operator-outputs/04-service-201");
        service["spec"]!["ports"]![0]!.AsObject()["portt"] = 80;

        var error = Assert.Single(Schemas.Validate(service));

        Assert.Equal("$.spec.ports[0].portt", error.Path);
        Assert.Contains("unknown field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_accept_any_key_through_additional_properties_but_not_a_number_value()
    {
        var map = Body("20-typical-operator-outputs/01-configmap-201");
        map["metadata"]!["labels"]!["example.dev/anything"] = "fine";
        map["metadata"]!["labels"]!["bad"] = 3;

        var error = Assert.Single(Schemas.Validate(map));

        Assert.Equal("$.metadata.labels.bad", error.Path);
    }

    [Fact]
    public void Int_or_string_takes_a_name_or_a_number_but_not_a_boolean()
    {
        var policy = Body("20-typical-operator-outputs/07-networkpolicy-201");
        policy["spec"]!["ingress"]![0]!["ports"]![1]!["port"] = true;

        var error = Assert.Single(Schemas.Validate(policy));

        Assert.Equal("$.spec.ingress[0].ports[1].port", error.Path);
    }

    [Fact]
    public void An_enum_and_a_minimum_from_a_crd_schema_are_enforced()
    {
        var widget = Body("03-cr-crud/01-create-201");
        widget["spec"]!["size"] = 0;

        var error = Assert.Single(Schemas.Validate(widget));

        Assert.Equal("$.spec.size", error.Path);
        Assert.Contains("minimum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_date_time_is_reported()
    {
        var lease = Body("13-lease/01-create-201");
        lease["spec"]!["renewTime"] = "2026-11-20 23:32:30";

        var error = Assert.Single(Schemas.Validate(lease));

        Assert.Equal("$.spec.renewTime", error.Path);
    }

    [Fact]
    public void An_int32_overflow_is_reported()
    {
        var deployment = Body("20-typical-operator-outputs/03-deployment-201");
        deployment["spec"]!["replicas"] = 3_000_000_000L;

        Assert.Contains(Schemas.Validate(deployment), e => e.Path == "$.spec.replicas" && e.Message.Contains("int32", StringComparison.Ordinal));
    }

    [Fact]
    public void An_object_without_a_known_kind_is_reported_not_ignored()
    {
        Assert.Single(Schemas.Validate(JsonNode.Parse("""{"apiVersion":"nope/v1","kind":"Thing"}""")));
        Assert.Single(Schemas.Validate(JsonNode.Parse("""{"metadata":{}}""")));
        Assert.Single(Schemas.Validate(JsonNode.Parse("[]")));
    }

    private static JsonObject Body(string dir) => JsonNode.Parse(FixtureLibrary.Get(dir).Request.Body!)!.AsObject();
}
