using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TestKit.FakeApiServer;

namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>
/// Translates between the recording and the fake: resourceVersions, uids and generated names legitimately differ,
/// so they are paired as they appear (a <see cref="Bijection"/> each, which also checks "same RV" patterns), requests
/// are rewritten into the fake's values, and answers are normalized into the recording's values before comparing.
/// </summary>
public sealed partial class ReplayVocabulary
{
    public Bijection ResourceVersions { get; } = new("resourceVersion");

    public Bijection Uids { get; } = new("uid");

    public Bijection Names { get; } = new("name");

    /// <summary>Pairs RVs, uids and names found at the same places of a recorded and a fake answer.</summary>
    public void Learn(JsonNode? recorded, JsonNode? fake, bool includeListResourceVersion, List<string> findings)
    {
        if (recorded is not JsonObject rec || fake is not JsonObject fak)
        {
            return;
        }

        if ((string?)rec["kind"] == "Status")
        {
            // A generated name can first appear in an error (the name is generated before validation).
            if (rec["details"]?["name"] is JsonValue recName && fak["details"]?["name"] is JsonValue fakeName && rec["metadata"] is not null)
            {
                Add(findings, Names.Learn((string)recName!, (string)fakeName!));
            }

            if (rec["details"]?["uid"] is JsonValue recUid && fak["details"]?["uid"] is JsonValue fakeUid)
            {
                Add(findings, Uids.Learn((string)recUid!, (string)fakeUid!));
            }

            LearnContinue(rec["metadata"]?["continue"], fak["metadata"]?["continue"], findings);
            return;
        }

        if (rec["items"] is JsonArray recItems && fak["items"] is JsonArray fakeItems)
        {
            if (includeListResourceVersion && rec["metadata"]?["resourceVersion"] is JsonValue recRv && fak["metadata"]?["resourceVersion"] is JsonValue fakeRv)
            {
                Add(findings, ResourceVersions.Learn((string)recRv!, (string)fakeRv!));
            }

            LearnContinue(rec["metadata"]?["continue"], fak["metadata"]?["continue"], findings);
            foreach (var item in recItems.OfType<JsonObject>())
            {
                var name = KubeObject.Name(item);
                var fakeName = Names.ToFake(name) ?? name;
                var match = fakeItems.OfType<JsonObject>().FirstOrDefault(f => KubeObject.Name(f) == fakeName && KubeObject.Namespace(f) == KubeObject.Namespace(item));
                LearnObject(item, match, findings);
            }

            return;
        }

        LearnObject(rec, fak, findings);
    }

    /// <summary>Rewrites a recorded request target into the fake's names and resourceVersions.</summary>
    public string TranslateTarget(string target, Func<string, string?>? resourceVersionOverride)
    {
        var parts = target.Split('?', 2);
        var path = string.Join('/', parts[0].Split('/').Select(segment => Names.ToFake(segment) ?? segment));
        if (parts.Length == 1)
        {
            return path;
        }

        var query = parts[1].Split('&').Select(pair =>
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "resourceVersion")
            {
                return "resourceVersion=" + (resourceVersionOverride?.Invoke(kv[1]) ?? ResourceVersions.ToFake(kv[1]) ?? kv[1]);
            }

            if (kv.Length == 2 && kv[0] == "continue")
            {
                var token = ContinueToken.Decode(Uri.UnescapeDataString(kv[1]));
                var rv = token.ResourceVersion < 0
                    ? token.ResourceVersion
                    : long.Parse(ResourceVersions.ToFake(token.ResourceVersion.ToString(CultureInfo.InvariantCulture)) ?? token.ResourceVersion.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                var start = token.Start.TrimEnd('\0');
                var fakeStart = (Names.ToFake(start) ?? start) + (token.Start.EndsWith('\0') ? "\0" : string.Empty);
                return "continue=" + new ContinueToken(rv, fakeStart).Encode();
            }

            return pair;
        });
        return path + "?" + string.Join('&', query);
    }

    /// <summary>Rewrites resourceVersions and uids inside a JSON request body (YAML bodies pass unchanged).</summary>
    public byte[]? TranslateBody(byte[]? body, string? contentType)
    {
        if (body is null || BodyDecoder.MediaType(contentType) is "application/yaml" || body.Length == 0 || body[0] is not ((byte)'{' or (byte)'['))
        {
            return body;
        }

        var (node, duplicates) = (default(JsonNode), (IReadOnlyList<string>)[]);
        try
        {
            (node, duplicates) = BodyDecoder.DecodeJson(body);
        }
        catch (FormatException)
        {
            // Deliberately malformed bodies (e.g. truncated JSON) are sent as recorded.
            return body;
        }

        if (duplicates.Count > 0)
        {
            // Bodies with repeated keys test the decoder: rewriting would drop the repetition.
            return body;
        }

        var before = node?.ToJsonString();
        Rewrite(node);
        return before == node?.ToJsonString() ? body : Encoding.UTF8.GetBytes(node!.ToJsonString());
    }

    /// <summary>
    /// Turns an answer into comparable form: fake values mapped back to recorded ones, timestamps and allocated
    /// IPs blanked, managedFields sorted (and fieldsV1 dropped for built-ins, whose exact ownership shape the fake
    /// approximates), continue tokens decoded.
    /// </summary>
    public JsonNode? Normalize(JsonNode? node, bool fromFake)
    {
        var copy = node?.DeepClone();
        NormalizeInPlace(copy, fromFake, parentKey: null);
        return copy;
    }

    /// <summary>Status messages: uids and long numbers (resourceVersions) blanked.</summary>
    public static string NormalizeMessage(string message) =>
        LongNumber().Replace(UuidPattern().Replace(message, "<uid>"), "#");

    private void LearnObject(JsonObject recorded, JsonObject? fake, List<string> findings)
    {
        if (fake is null)
        {
            return;
        }

        if (KubeObject.MetadataString(recorded, "name") is { } recName && KubeObject.MetadataString(fake, "name") is { } fakeName)
        {
            Add(findings, Names.Learn(recName, fakeName));
        }

        if (KubeObject.MetadataString(recorded, "uid") is { } recUid && KubeObject.MetadataString(fake, "uid") is { } fakeUid)
        {
            Add(findings, Uids.Learn(recUid, fakeUid));
        }

        if (KubeObject.MetadataString(recorded, "resourceVersion") is { } recRv && KubeObject.MetadataString(fake, "resourceVersion") is { } fakeRv)
        {
            Add(findings, ResourceVersions.Learn(recRv, fakeRv));
        }
    }

    private void LearnContinue(JsonNode? recorded, JsonNode? fake, List<string> findings)
    {
        if (recorded is JsonValue r && fake is JsonValue f && (string?)r is { Length: > 0 } recToken && (string?)f is { Length: > 0 } fakeToken)
        {
            var rec = ContinueToken.Decode(recToken);
            var fak = ContinueToken.Decode(fakeToken);
            if (rec.ResourceVersion >= 0 && fak.ResourceVersion >= 0)
            {
                Add(findings, ResourceVersions.Learn(rec.ResourceVersion.ToString(CultureInfo.InvariantCulture), fak.ResourceVersion.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    private void Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if (key == "resourceVersion")
                        {
                            map[key] = ResourceVersions.ToFake(text) ?? text;
                        }
                        else if (key == "uid")
                        {
                            map[key] = Uids.ToFake(text) ?? text;
                        }
                        else if (key == "value" && (string?)map["path"] == "/metadata/resourceVersion")
                        {
                            map[key] = ResourceVersions.ToFake(text) ?? text;
                        }
                    }
                    else
                    {
                        Rewrite(value);
                    }
                }

                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    Rewrite(item);
                }

                break;
        }
    }

    private void NormalizeInPlace(JsonNode? node, bool fromFake, string? parentKey)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        map[key] = NormalizeString(key, text, fromFake, map);
                    }
                    else
                    {
                        NormalizeInPlace(value, fromFake, key);
                    }
                }

                if (map["causes"] is JsonArray causes)
                {
                    // Cause order carries no meaning (the real validator emits some in Go map order).
                    var ordered = causes.Select(c => c?.DeepClone()).OrderBy(c => c?.ToJsonString(), StringComparer.Ordinal).ToArray();
                    map["causes"] = new JsonArray(ordered);
                }

                if (map["managedFields"] is JsonArray entries)
                {
                    var builtIn = !IsCustomResourceObject(map);
                    var sorted = entries.OfType<JsonObject>()
                        .Select(e => e.DeepClone().AsObject())
                        .OrderBy(e => (string?)e["manager"], StringComparer.Ordinal)
                        .ThenBy(e => (string?)e["operation"], StringComparer.Ordinal)
                        .ThenBy(e => (string?)e["subresource"], StringComparer.Ordinal)
                        .ToList();
                    // Update entries of built-ins depend on Go struct details (pointer vs value structs get "." or not)
                    // that the fake approximates; Apply entries and everything of custom resources are compared.
                    foreach (var entry in sorted.Where(e => builtIn && (string?)e["operation"] != "Apply"))
                    {
                        entry.Remove("fieldsV1");
                    }

                    map["managedFields"] = new JsonArray(sorted.Cast<JsonNode>().ToArray());
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is JsonValue v && v.TryGetValue<string>(out var text) && parentKey is "clusterIPs")
                    {
                        list[i] = "<ip>";
                    }
                    else
                    {
                        NormalizeInPlace(list[i], fromFake, parentKey);
                    }
                }

                break;
        }
    }

    // managedFields sit in metadata, so the owning object is not at hand: apiVersion entries in the list decide.
    private static bool IsCustomResourceObject(JsonObject metadata) =>
        metadata["managedFields"] is JsonArray entries && entries.OfType<JsonObject>().Any(e => ((string?)e["apiVersion"])?.StartsWith("example.dev/", StringComparison.Ordinal) == true);

    private JsonNode NormalizeString(string key, string text, bool fromFake, JsonObject owner)
    {
        switch (key)
        {
            case "creationTimestamp" or "deletionTimestamp":
                return "<time>";
            case "time" when owner.ContainsKey("manager"):
                return "<time>";
            case "clusterIP":
                return "<ip>";
            case "resourceVersion" when fromFake:
                // An unpaired value is one the request carried (e.g. regarding.resourceVersion), echoed back.
                return ResourceVersions.ToRecorded(text) ?? text;
            case "uid" when fromFake:
                return Uids.ToRecorded(text) ?? $"<unpaired fake uid {text}>";
            case "name" when fromFake:
                return Names.ToRecorded(text) ?? text;
            case "continue" when text.Length > 0:
                {
                    var token = ContinueToken.Decode(text);
                    var rv = token.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                    if (fromFake && token.ResourceVersion >= 0)
                    {
                        rv = ResourceVersions.ToRecorded(rv) ?? $"<unpaired fake rv {rv}>";
                    }

                    var start = token.Start.TrimEnd('\0');
                    return new JsonObject { ["rv"] = rv, ["start"] = fromFake ? Names.ToRecorded(start) ?? start : start };
                }

            case "message":
                return NormalizeMessage(fromFake ? Names.RenameDifferent(text) : text);
            default:
                return text;
        }
    }

    private static void Add(List<string> findings, string? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex UuidPattern();

    [GeneratedRegex("[0-9]{3,}")]
    private static partial Regex LongNumber();
}
