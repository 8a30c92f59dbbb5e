using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Resources;
using TestKit.Fixtures;
using TestKit.Replay;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.Resources;

/// <summary>The typed accessors and the owner reference factory, against recorded exchanges.</summary>
public sealed class TypedResourceClientTests
{
    [Fact]
    public async Task A_typed_secret_create_sends_the_recorded_body_and_reads_the_merged_data()
    {
        var exchange = FixtureLibrary.Get("15-secrets/03-create-with-ownerReferences-201");
        var sent = JsonNode.Parse(exchange.Request.Body!)!;
        var widget = new UntypedObject
        {
            ApiVersion = "example.dev/v1",
            Kind = "Widget",
            Metadata = new V1ObjectMeta { Name = "w1", Uid = (string?)sent["metadata"]!["ownerReferences"]![0]!["uid"] },
        };
        var secret = JsonSerializer.Deserialize(exchange.Request.Body!, EntityJson.TypeInfo<V1Secret>())!;
        secret.Metadata.OwnerReferences = null;
        ConsoleOperator.Kube.Runtime.Apply.OwnerReferences.SetController(secret, widget);
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(exchange);
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });

        var created = await client.Resource(KnownResources.Secret, EntityJson.TypeInfo<V1Secret>(), "demo").CreateAsync(secret);

        Assert.True(JsonNode.DeepEquals(sent, JsonNode.Parse(Assert.Single(server.Received).Body)));
        Assert.Equal(JsonNode.Parse(exchange.Response.Body!)!["data"]!.AsObject().Count, created.Data!.Count);
        Assert.Null(created.StringData);
    }

    [Fact]
    public void An_owner_without_a_uid_is_refused()
    {
        var owned = new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } };
        Assert.Throws<ArgumentException>(() => ConsoleOperator.Kube.Runtime.Apply.OwnerReferences.SetController(owned, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }));
    }

    [Fact]
    public void Descriptors_come_from_the_entity_attribute_and_know_the_scope()
    {
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = "https://127.0.0.1:1" });

        Assert.Equal(KnownResources.Deployment, ResourceDescriptor.ForEntity<V1Deployment>());
        Assert.Equal(KnownResources.Event, ResourceDescriptor.ForEntity<Eventsv1Event>());
        Assert.Equal(KnownResources.HorizontalPodAutoscaler, ResourceDescriptor.ForEntity<V2HorizontalPodAutoscaler>());
        Assert.Equal(KnownResources.CustomResourceDefinition, ResourceDescriptor.ForEntity<V1CustomResourceDefinition>());
        Assert.Throws<ArgumentException>(() => client.Resource(KnownResources.Namespace, EntityJson.TypeInfo<V1Namespace>()).InNamespace("demo"));
    }
}
