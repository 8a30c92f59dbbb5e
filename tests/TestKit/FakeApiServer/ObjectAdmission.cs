using System.Globalization;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// What happens to every object before it is stored: custom resources are pruned to their schema (warnings or a
/// Strict 400) and validated; built-ins are validated and defaulted; MicroTime and metav1.Time fields are decoded
/// and normalized; owner references are checked.
/// </summary>
public static class ObjectAdmission
{
    public static void Admit(JsonObject candidate, ResourceDescriptor resource, ApiQuery query, List<string> warnings, string name)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(warnings);
        if (resource.IsCustomResource)
        {
            var unknown = CustomResourceSchema.Prune(candidate, resource.Schema);
            if (unknown.Count > 0)
            {
                var messages = unknown.Select(u => $"unknown field \"{u}\"").ToList();
                if (query["fieldValidation"] == "Strict")
                {
                    throw StatusErrors.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: strict decoding error: {string.Join(", ", messages)}");
                }

                if (query["fieldValidation"] != "Ignore")
                {
                    warnings.AddRange(messages.Select(m => $"299 - \"{m.Replace("\"", "\\\"", StringComparison.Ordinal)}\""));
                }
            }

            var causes = CustomResourceSchema.Validate(candidate, resource.Schema);
            if (causes.Count > 0)
            {
                throw StatusErrors.Invalid(resource.ValidationGroupKind, name, resource.ValidationGroup, resource.Kind, causes).WithWarnings(warnings);
            }
        }
        else
        {
            ObjectValidation.ValidateBuiltIn(candidate, resource, name);
            BuiltInDefaults.Apply(candidate, resource);
        }

        foreach (var field in resource.MicroTimeFields)
        {
            if (KubeObject.At(candidate, field) is JsonValue value && value.TryGetValue<string>(out var text))
            {
                string normalized;
                try
                {
                    normalized = MicroTime.Normalize(text);
                }
                catch (FormatException error)
                {
                    throw new ObjectDecodeException(error.Message);
                }

                var parts = field.Split('.');
                var parent = parts.Length == 1 ? candidate : (JsonObject)KubeObject.At(candidate, string.Join('.', parts[..^1]))!;
                parent[parts[^1]] = normalized;
            }
        }

        foreach (var field in resource.TimeFields)
        {
            if (KubeObject.At(candidate, field) is JsonValue value && value.TryGetValue<string>(out var text))
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
                {
                    throw new ObjectDecodeException($"parsing time \"{text}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{text}\" as \"2006\"");
                }

                // metav1.Time keeps whole seconds in UTC.
                var parts = field.Split('.');
                var parent = parts.Length == 1 ? candidate : (JsonObject)KubeObject.At(candidate, string.Join('.', parts[..^1]))!;
                parent[parts[^1]] = parsed.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }
        }

        ObjectValidation.ValidateOwnerReferences(candidate, resource, name);
    }
}
