using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Fixtures;
using ConsoleOperator.Kube.Tests.KubeClient.Support;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.KubeClient.Serialization;

/// <summary>The typed models keep what they do not model and write only what was set.</summary>
public sealed class ModelRoundTripTests
{
    [Fact]
    public void A_new_model_writes_only_what_was_set_with_apiVersion_and_kind()
    {
        var deployment = new V1Deployment { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "demo" } }.WithTypeMeta();

        var json = JsonSerializer.Serialize(deployment, EntityJson.TypeInfo<V1Deployment>());

        Assert.Equal("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo"}}""", json);
    }

    [Fact]
    public void IntOrString_keeps_a_named_port_a_string_and_a_number_a_number()
    {
        var exchange = FixtureLibrary.Get("20-typical-operator-outputs/07-networkpolicy-201");

        var policy = JsonSerializer.Deserialize(exchange.Request.Body!, EntityJson.TypeInfo<V1NetworkPolicy>())!;
        var ports = policy.Spec!.Ingress![0].Ports!;
        var written = JsonSerializer.SerializeToNode(policy, EntityJson.TypeInfo<V1NetworkPolicy>())!;

        Assert.Equal("http", ports[0].Port!.Value);
        Assert.Equal("9090", ports[1].Port!.Value);
        Assert.Equal(JsonValueKind.String, written["spec"]!["ingress"]![0]!["ports"]![0]!["port"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, written["spec"]!["ingress"]![0]!["ports"]![1]!["port"]!.GetValueKind());
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
    [InlineData("14-events/01-create-events-k8s-io-v1-201")]
    [InlineData("02-crd-create/01-create-crd")]
    [InlineData("15-secrets/03-create-with-ownerReferences-201")]
    public void Operator_request_bodies_round_trip_through_the_typed_models_unchanged(string dir)
    {
        var sent = JsonNode.Parse(FixtureLibrary.Get(dir).Request.Body!)!.AsObject();
        var typeInfo = TypedModels.Find((string?)sent["apiVersion"], (string?)sent["kind"])!;

        var model = JsonSerializer.Deserialize(sent.ToJsonString(), typeInfo);
        var written = JsonSerializer.SerializeToNode(model, typeInfo);

        Assert.True(JsonNode.DeepEquals(sent, written), $"{dir}:\n{sent.ToJsonString()}\n{written!.ToJsonString()}");
    }

    [Fact]
    public void The_recorded_lease_request_body_round_trips_through_the_library_model_unchanged()
    {
        var sent = JsonNode.Parse(FixtureLibrary.Get("13-lease/01-create-201").Request.Body!)!.AsObject();

        var lease = k8s.KubernetesJson.Deserialize<k8s.Models.V1Lease>(sent.ToJsonString());
        var written = JsonNode.Parse(k8s.KubernetesJson.Serialize(lease, ConsoleOperator.Kube.Client.Entities.EntityJson.Options));

        Assert.True(JsonNode.DeepEquals(sent, written), $"{sent.ToJsonString()}\n{written!.ToJsonString()}");
    }

    [Fact]
    public async Task Built_in_list_items_get_kind_and_api_version_from_the_descriptor()
    {
        var exchange = FixtureLibrary.Get("14-events/08-list-events-v1-fieldSelector-regarding");
        Assert.Null(JsonNode.Parse(exchange.Response.Body!)!["items"]![0]!["kind"]);

        using var client = RecordedResponses.ClientAnswering(RecordedResponses.ToMessage(exchange.Response));
        var list = await client.Resource(KnownResources.Event, EntityJson.TypeInfo<Eventsv1Event>(), "default").ListAsync();
        var items = list.Items;

        Assert.All(items, e => Assert.Equal(("events.k8s.io/v1", "Event"), (e.ApiVersion, e.Kind)));
    }

    [Fact]
    public void A_status_body_exposes_reason_code_and_causes()
    {
        var body = FixtureLibrary.Get("08-ssa-deployment/05-second-manager-conflict-409").Response.Body!;

        var status = JsonSerializer.Deserialize(body, EntityJson.TypeInfo<V1Status>())!;

        Assert.Equal("Failure", status.Status);
        Assert.Equal(409, status.Code);
        var cause = Assert.Single(status.Details!.Causes!);
        Assert.Equal(("FieldManagerConflict", ".spec.replicas"), (cause.Reason, cause.Field));
    }
}
