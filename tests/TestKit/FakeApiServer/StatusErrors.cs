using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// Builds the Status bodies kube-apiserver v1.28 sends, with the messages and <c>details</c> exactly as recorded
/// in tests/fixtures/k8s-recordings (note where <c>details.kind</c> is the plural resource and where it is the Kind).
/// </summary>
public static class StatusErrors
{
    public static JsonObject Status(string status, string? message, string? reason, JsonObject? details, int? code, JsonObject? metadata = null)
    {
        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata ?? new JsonObject(),
            ["status"] = status,
        };
        if (message is not null)
        {
            body["message"] = message;
        }

        if (reason is not null)
        {
            body["reason"] = reason;
        }

        if (details is not null)
        {
            body["details"] = details;
        }

        if (code is not null)
        {
            body["code"] = code.Value;
        }

        return body;
    }

    public static ApiStatusException Failure(int code, string reason, string message, JsonObject? details = null) =>
        new(code, Status("Failure", message, reason, details, code));

    public static JsonObject Details(string? name, string? group, string? kind, JsonArray? causes = null)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (!string.IsNullOrEmpty(group))
        {
            details["group"] = group;
        }

        if (!string.IsNullOrEmpty(kind))
        {
            details["kind"] = kind;
        }

        if (causes is not null)
        {
            details["causes"] = causes;
        }

        return details;
    }

    public static JsonObject Cause(string reason, string message, string? field)
    {
        var cause = new JsonObject { ["reason"] = reason, ["message"] = message };
        if (field is not null)
        {
            cause["field"] = field;
        }

        return cause;
    }

    public static ApiStatusException NotFound(ResourceDescriptor resource, string name) =>
        Failure(404, "NotFound", $"{resource.GroupResource} \"{name}\" not found", Details(name, resource.Group, resource.Plural));

    public static ApiStatusException NamespaceNotFound(string name) =>
        Failure(404, "NotFound", $"namespaces \"{name}\" not found", Details(name, null, "namespaces"));

    public static ApiStatusException AlreadyExists(ResourceDescriptor resource, string name) =>
        Failure(409, "AlreadyExists", $"{resource.GroupResource} \"{name}\" already exists", Details(name, resource.Group, resource.Plural));

    public static ApiStatusException Conflict(ResourceDescriptor resource, string name) =>
        Failure(
            409,
            "Conflict",
            $"Operation cannot be fulfilled on {resource.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(name, resource.Group, resource.Plural));

    public static ApiStatusException PreconditionUid(ResourceDescriptor resource, string name, string expected, string actual) =>
        PreconditionMismatch(resource, name, "UID", expected, actual, "deleted and then recreated");

    public static ApiStatusException PreconditionResourceVersion(ResourceDescriptor resource, string name, string expected, string actual) =>
        PreconditionMismatch(resource, name, "ResourceVersion", expected, actual, "modified");

    public static ApiStatusException BadRequest(string message) => Failure(400, "BadRequest", message);

    /// <summary>A 422 with field causes; <paramref name="qualifiedKind"/> is what precedes the name in the message.</summary>
    public static ApiStatusException Invalid(string qualifiedKind, string? name, string? group, string detailsKind, IReadOnlyList<(string Reason, string Message, string Field)> causes)
    {
        var causeArray = new JsonArray();
        foreach (var (reason, message, field) in causes)
        {
            causeArray.Add(Cause(reason, message, field));
        }

        var summary = causes.Count == 1
            ? $"{causes[0].Field}: {causes[0].Message}"
            : "[" + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        return Failure(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {summary}", Details(name, group, detailsKind, causeArray));
    }

    /// <summary>The generic 422 kube-apiserver answers for a failed JSON-patch <c>test</c> op (no hint what failed).</summary>
    public static ApiStatusException JsonPatchTestFailed() =>
        Failure(422, "Invalid", "the server rejected our request due to an error in our request", new JsonObject());

    /// <summary>The 415 for a patch type a custom resource does not take (no strategic merge: CRDs have no patch strategies).</summary>
    public static ApiStatusException UnsupportedPatchType() =>
        UnsupportedMediaType("application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");

    public static ApiStatusException UnsupportedPatchTypeBuiltIn() =>
        UnsupportedMediaType("application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");

    public static ApiStatusException MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiStatusException NoSuchSubresource() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiStatusException Expired(string message, JsonObject? metadata = null) =>
        new(410, Status("Failure", message, "Expired", null, 410, metadata));

    public static ApiStatusException NamespaceTerminating(ResourceDescriptor resource, string name, string ns) =>
        Failure(
            403,
            "Forbidden",
            $"{resource.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
            Details(name, resource.Group, resource.Plural, [Cause("NamespaceTerminating", $"namespace {ns} is being terminated", "metadata.namespace")]));

    public static ApiStatusException TooLargeResourceVersion(string requested, long current) =>
        new(
            504,
            Status(
                "Failure",
                $"Timeout: Too large resource version: {requested}, current: {current}",
                "Timeout",
                new JsonObject
                {
                    ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                    ["retryAfterSeconds"] = 1,
                },
                504),
            new Dictionary<string, string> { ["Retry-After"] = "1" });

    /// <summary>A Status a test injects (e.g. "fail the next 3 requests with 500").</summary>
    public static ApiStatusException Injected(int code, string reason, string message) => Failure(code, reason, message, new JsonObject());

    // kube-apiserver names the kind (not the resource) in precondition failures, unlike in its other 409s.
    private static ApiStatusException PreconditionMismatch(ResourceDescriptor resource, string name, string field, string expected, string actual, string consequence) =>
        Failure(
            409,
            "Conflict",
            $"Operation cannot be fulfilled on {resource.GroupKind} \"{name}\": the {field} in the precondition ({expected}) does not match the {field} in record ({actual}). The object might have been {consequence}",
            Details(name, resource.Group, resource.Kind));

    private static ApiStatusException UnsupportedMediaType(string acceptedMediaTypes) =>
        Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {acceptedMediaTypes}");
}
