using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TestKit.FakeApiServer;

/// <summary>
/// The validations of the built-in strategies and ObjectMeta that clients run into, with kube-apiserver's wording:
/// names, owner references, finalizers on terminating objects, Secret data, Lease durations, events.k8s.io Events.
/// </summary>
public static partial class ObjectValidation
{
    public static void ValidateBuiltIn(JsonObject candidate, ResourceDescriptor resource, string name)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(resource);
        if (resource == BuiltInResources.Events)
        {
            var causes = new List<(string, string, string)>();
            if (candidate["eventTime"] is null)
            {
                causes.Add(("FieldValueRequired", "Required value", "eventTime"));
            }

            var type = (string?)candidate["type"];
            if (type is not ("Normal" or "Warning"))
            {
                // The odd wording is kube-apiserver's own (the field path is printed where the value belongs).
                causes.Add(("FieldValueInvalid", $"Invalid value: \"\": has invalid value: {type}", "type"));
            }

            if (causes.Count > 0)
            {
                throw StatusErrors.Invalid(resource.ValidationGroupKind, name, resource.ValidationGroup, resource.Kind, causes);
            }
        }

        if (resource == BuiltInResources.Leases && candidate["spec"]?["leaseDurationSeconds"] is JsonValue duration
            && duration.TryGetValue<long>(out var seconds) && seconds <= 0)
        {
            throw StatusErrors.Invalid(resource.ValidationGroupKind, name, resource.ValidationGroup, resource.Kind, [("FieldValueInvalid", $"Invalid value: {seconds}: must be greater than 0", "spec.leaseDurationSeconds")]);
        }

        if (resource == BuiltInResources.Secrets)
        {
            foreach (var (key, value) in candidate["data"] as JsonObject ?? [])
            {
                var text = (string?)value ?? string.Empty;
                if (!IsStandardBase64(text, out var badByte))
                {
                    throw new ObjectDecodeException($"illegal base64 data at input byte {badByte}");
                }
            }

            if ((string?)candidate["type"] == "kubernetes.io/tls")
            {
                var data = candidate["data"] as JsonObject ?? [];
                var stringData = candidate["stringData"] as JsonObject ?? [];
                foreach (var required in new[] { "tls.crt", "tls.key" })
                {
                    if (!data.ContainsKey(required) && !stringData.ContainsKey(required))
                    {
                        throw StatusErrors.Invalid(resource.ValidationGroupKind, name, resource.ValidationGroup, resource.Kind, [("FieldValueRequired", "Required value", $"data[{required}]")]);
                    }
                }
            }
        }
    }

    private static bool IsStandardBase64(string text, out int badByte)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < text.Length; i++)
        {
            if (alphabet.Contains(text[i], StringComparison.Ordinal))
            {
                continue;
            }

            if (text[i] == '=' && i >= text.Length - 2 && text.Length % 4 == 0 && text[i..].All(c => c == '='))
            {
                break;
            }

            badByte = i;
            return false;
        }

        badByte = text.Length - (text.Length % 4);
        return text.Length % 4 == 0;
    }

    public static void ValidateOwnerReferences(JsonObject candidate, ResourceDescriptor resource, string name)
    {
        if (candidate["metadata"]?["ownerReferences"] is not JsonArray owners)
        {
            return;
        }

        foreach (var owner in owners.OfType<JsonObject>())
        {
            if (string.IsNullOrEmpty((string?)owner["uid"]))
            {
                throw Invalid(resource, name, "FieldValueInvalid", "Invalid value: \"\": uid must not be empty", "metadata.ownerReferences.uid");
            }
        }

        var controllers = owners.OfType<JsonObject>().Where(o => (bool?)o["controller"] == true).ToList();
        if (controllers.Count > 1)
        {
            var found = string.Join(" and ", controllers.Select(c => $"{(string?)c["kind"]}/{(string?)c["name"]}"));
            throw Invalid(
                resource,
                name,
                "FieldValueInvalid",
                $"Invalid value: {owners.ToJsonString()}: Only one reference can have Controller set to true. Found \"true\" in references for {found}",
                "metadata.ownerReferences");
        }
    }

    public static ApiStatusException Invalid(ResourceDescriptor resource, string? name, string reason, string message, string field) =>
        StatusErrors.Invalid(resource.ValidationGroupKind, name, resource.ValidationGroup, resource.Kind, [(reason, message, field)]);

    /// <summary>metadata.name must be a DNS-1123 subdomain.</summary>
    public static void ValidateName(ResourceDescriptor resource, string name) => ValidateSubdomain(resource, name, name, "metadata.name", name);

    /// <summary>
    /// metadata.generateName must itself be a valid prefix: only a trailing '-' is allowed (masked before the check).
    /// The error names the object by the name generated from it.
    /// </summary>
    public static void ValidateGenerateName(ResourceDescriptor resource, string prefix, string generatedName)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var masked = prefix.EndsWith('-') ? prefix[..^1] + "a" : prefix;
        ValidateSubdomain(resource, masked, prefix, "metadata.generateName", generatedName);
    }

    private static void ValidateSubdomain(ResourceDescriptor resource, string value, string shown, string field, string objectName)
    {
        if (value.Length <= 253 && DnsSubdomain().IsMatch(value))
        {
            return;
        }

        throw Invalid(
            resource,
            objectName,
            "FieldValueInvalid",
            $"Invalid value: \"{shown}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            field);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    public static void CheckNoNewFinalizersWhileTerminating(ResourceDescriptor resource, JsonObject current, JsonObject candidate, string name)
    {
        if (!KubeObject.IsTerminating(current))
        {
            return;
        }

        var added = KubeObject.Finalizers(candidate).Except(KubeObject.Finalizers(current)).ToList();
        if (added.Count == 0)
        {
            return;
        }

        var goSlice = "[]string{" + string.Join(", ", added.Select(f => $"\"{f}\"")) + "}";
        var message = $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers {goSlice}";

        // kube-apiserver reports this cause twice (generic and strategy validation both catch it).
        var error = StatusErrors.Invalid(resource.ValidationGroupKind, name, resource.ValidationGroup, resource.Kind, [("FieldValueForbidden", message, "metadata.finalizers"), ("FieldValueForbidden", message, "metadata.finalizers")]);
        throw RewriteDuplicateMessage(error, message);
    }

    // The 422 message shows the cause once even though details list it twice.
    private static ApiStatusException RewriteDuplicateMessage(ApiStatusException error, string message)
    {
        var status = error.Status;
        var name = (string?)status["details"]?["name"];
        var kind = (string?)status["details"]?["kind"];
        var group = (string?)status["details"]?["group"];
        var qualified = string.IsNullOrEmpty(group) ? kind : $"{kind}.{group}";
        status["message"] = $"{qualified} \"{name}\" is invalid: metadata.finalizers: {message}";
        return error;
    }
}
