using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// One persisted change, as the watch cache sees it. <see cref="PreviousJson"/> is the object before a MODIFIED or
/// DELETED so a watch with a selector can turn "stopped matching" into DELETED and "started matching" into ADDED.
/// Objects are kept serialized (immutable); <see cref="Object"/> parses a private copy.
/// </summary>
public sealed record StoreEvent(string Type, ObjectKey Key, long ResourceVersion, string ObjectJson, string? PreviousJson)
{
    public JsonObject Object() => JsonNode.Parse(ObjectJson)!.AsObject();

    public JsonObject? Previous() => PreviousJson is null ? null : JsonNode.Parse(PreviousJson)!.AsObject();
}
