using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>One <c>metadata.managedFields</c> entry: who owns which fields, through which operation and subresource.</summary>
public sealed class ManagedFieldsEntry
{
    public ManagedFieldsEntry(string manager, string operation, string apiVersion, string time, string subresource, FieldSet fields)
    {
        Manager = manager;
        Operation = operation;
        ApiVersion = apiVersion;
        Time = time;
        Subresource = subresource;
        Fields = fields;
    }

    public string Manager { get; }

    /// <summary><c>Apply</c> or <c>Update</c>.</summary>
    public string Operation { get; }

    public string ApiVersion { get; set; }

    /// <summary>RFC 3339 seconds, as the server writes it.</summary>
    public string Time { get; set; }

    /// <summary>Empty for the main resource, <c>status</c> for the status subresource.</summary>
    public string Subresource { get; }

    public FieldSet Fields { get; set; }

    public bool IsApply => Operation == "Apply";

    public bool SameOwner(string manager, string operation, string subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;

    /// <summary>How conflict messages name the owner: update managers are qualified by their API version.</summary>
    public string ConflictName => IsApply ? $"\"{Manager}\"" : $"\"{Manager}\" using {ApiVersion}";

    public static ManagedFieldsEntry FromJson(JsonObject entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ManagedFieldsEntry(
            (string?)entry["manager"] ?? string.Empty,
            (string?)entry["operation"] ?? "Update",
            (string?)entry["apiVersion"] ?? string.Empty,
            (string?)entry["time"] ?? string.Empty,
            (string?)entry["subresource"] ?? string.Empty,
            FieldSet.FromFieldsV1(entry["fieldsV1"] as JsonObject));
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
            ["time"] = Time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = Fields.ToFieldsV1(),
        };
        if (Subresource.Length > 0)
        {
            json["subresource"] = Subresource;
        }

        return json;
    }
}
