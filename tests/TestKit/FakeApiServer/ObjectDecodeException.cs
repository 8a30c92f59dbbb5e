namespace TestKit.FakeApiServer;

/// <summary>
/// The object could not be decoded into its Go type (bad base64 in Secret data, a MicroTime without six fractional
/// digits). A create/update answers 400 "cannot be handled as a Kind"; a patch answers 422 on the field "patch".
/// </summary>
public sealed class ObjectDecodeException(string detail) : Exception(detail)
{
    public ApiStatusException AsBadRequest(ResourceDescriptor resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return StatusErrors.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: {Message}");
    }

    public ApiStatusException AsInvalidPatch(string patchedObjectJson)
    {
        var message = $"Invalid value: \"{patchedObjectJson.Replace("\"", "\\\"", StringComparison.Ordinal)}\": {Message}";
        return StatusErrors.Failure(
            422,
            "Invalid",
            $" \"\" is invalid: patch: {message}",
            new System.Text.Json.Nodes.JsonObject { ["causes"] = new System.Text.Json.Nodes.JsonArray(StatusErrors.Cause("FieldValueInvalid", message, "patch")) });
    }
}
