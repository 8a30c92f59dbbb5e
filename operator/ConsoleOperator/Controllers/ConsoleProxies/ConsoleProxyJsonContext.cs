using System.Text.Json.Serialization;
using ConsoleOperator.Api.Proxies;

namespace ConsoleOperator.Controllers.ConsoleProxies;

/// <summary>
/// How the ConsoleProxy controller reads and writes its resource on the wire: the Kubernetes client's options
/// (camelCase, nulls left out so an applied status stays partial), enums by name as in the CRD schema. Unknown
/// fields are kept out of the way rather than refused: a newer CRD must not stop an older operator.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConsoleProxyResource))]
[JsonSerializable(typeof(ConsoleProxyStatus))]
internal sealed partial class ConsoleProxyJsonContext : JsonSerializerContext;
