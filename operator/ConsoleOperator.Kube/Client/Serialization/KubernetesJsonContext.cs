using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConsoleOperator.Kube.Client.Models.ApiExtensions;
using ConsoleOperator.Kube.Client.Models.Apps;
using ConsoleOperator.Kube.Client.Models.Autoscaling;
using ConsoleOperator.Kube.Client.Models.Core;
using ConsoleOperator.Kube.Client.Models.Events;
using ConsoleOperator.Kube.Client.Models.Meta;
using ConsoleOperator.Kube.Client.Models.Networking;
using ConsoleOperator.Kube.Client.Models.Policy;

namespace ConsoleOperator.Kube.Client.Serialization;

/// <summary>
/// Source-generated (de)serialisation for every model the client knows: camelCase, nulls left out on write (so a
/// partial object stays partial, which server-side apply depends on), unknown fields kept through JsonExtensionData.
/// Types defined elsewhere (e.g. the operator's own custom resources) bring their own context with the same options.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CustomResourceDefinition))]
[JsonSerializable(typeof(Deployment))]
[JsonSerializable(typeof(HorizontalPodAutoscaler))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(ServiceAccount))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubernetesObject))]
[JsonSerializable(typeof(NetworkPolicy))]
[JsonSerializable(typeof(PodDisruptionBudget))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(ObjectMeta))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(Condition))]
[JsonSerializable(typeof(OwnerReference))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(DeleteOptions))]

public sealed partial class KubernetesJsonContext : JsonSerializerContext;
