using System.Text.Json.Serialization;
using ConsoleOperator.Api.Tokens;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// How the token controller reads and writes its custom resources on the wire: the Kubernetes client's options
/// (camelCase, nulls left out so an applied status stays partial), enums by name as in the CRD schema. Unknown
/// fields are ignored rather than refused: a newer CRD must not stop an older operator from reading its objects.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConsoleTokenResource))]
[JsonSerializable(typeof(ConsoleTokenStatus))]
internal sealed partial class ConsoleTokenJsonContext : JsonSerializerContext;
