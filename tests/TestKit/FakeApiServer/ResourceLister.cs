using System.Globalization;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// LIST as kube-apiserver serves it: label/field selectors, limit/continue paging over one consistent snapshot with
/// remainingItemCount, 410 for expired continue tokens and compacted exact RVs, 504 for a future RV, RV=0 from the
/// "watch cache" (limit ignored), and the recorded list shapes (CR lists sorted, built-in items without kind).
/// </summary>
public sealed class ResourceLister(ObjectStore store, TimeProvider time)
{
    public async Task<JsonObject> ListAsync(ResourceDescriptor resource, string? ns, ApiQuery query, TimeSpan tooLargeDelay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var labels = Selectors.Labels(query["labelSelector"]);
        var fields = Selectors.Fields(query["fieldSelector"], resource);
        var limit = long.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedLimit) && parsedLimit > 0 ? parsedLimit : (long?)null;
        var requestedRv = query["resourceVersion"];
        var match = query["resourceVersionMatch"];
        long? snapshot = null;
        var start = string.Empty;

        if (query["continue"] is { Length: > 0 } continueText)
        {
            ContinueToken token;
            try
            {
                token = ContinueToken.Decode(continueText);
            }
            catch (FormatException error)
            {
                throw StatusErrors.BadRequest(error.Message);
            }

            if (token.ResourceVersion >= 0 && token.ResourceVersion < store.CompactedRevision)
            {
                var fresh = new ContinueToken(-1, token.Start).Encode();
                throw StatusErrors.Expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                    new JsonObject { ["continue"] = fresh });
            }

            snapshot = token.ResourceVersion >= 0 ? token.ResourceVersion : null;
            start = token.Start;
        }
        else if (!string.IsNullOrEmpty(requestedRv) && requestedRv != "0")
        {
            if (!long.TryParse(requestedRv, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            {
                throw StatusErrors.BadRequest($"resourceVersion: Invalid value: \"{requestedRv}\": must be a valid resource version");
            }

            if (rv > store.Revision)
            {
                // The real server waits up to 3 s for its cache to catch up before giving up.
                if (tooLargeDelay > TimeSpan.Zero)
                {
                    await Task.Delay(tooLargeDelay, time, cancellationToken);
                }

                throw StatusErrors.TooLargeResourceVersion(requestedRv, store.Revision);
            }

            if (match == "Exact")
            {
                if (rv < store.CompactedRevision)
                {
                    throw StatusErrors.Expired("The resourceVersion for the provided list is too old.");
                }

                snapshot = rv;
            }
        }

        // resourceVersion=0 is served from the watch cache, which ignores limit.
        if (requestedRv == "0" && query["continue"] is null or "")
        {
            limit = null;
        }

        var (items, revision) = store.List(resource.StorageKey, resource.Namespaced ? ns : null, snapshot);
        var matching = items
            .Where(i => labels.Matches(i) && fields.Matches(i))
            .Select(i => (Key: ListKey(resource, ns, i), Item: i))
            .Where(i => string.CompareOrdinal(i.Key, start) >= 0)
            .ToList();

        var page = limit is { } l ? matching.Take((int)Math.Min(l, int.MaxValue)).ToList() : matching;
        var remaining = matching.Count - page.Count;
        var listMetadata = new JsonObject();
        string continueValue = string.Empty;
        if (remaining > 0)
        {
            continueValue = new ContinueToken(revision, page[^1].Key + "\u0000").Encode();
        }

        listMetadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        if (resource.IsCustomResource || continueValue.Length > 0)
        {
            listMetadata["continue"] = continueValue;
        }

        if (remaining > 0)
        {
            listMetadata["remainingItemCount"] = remaining;
        }

        var itemArray = new JsonArray();
        foreach (var (_, item) in page)
        {
            var presented = KubeObject.InServerOrder(item, resource);
            if (!resource.IsCustomResource)
            {
                // Built-in list items carry no kind/apiVersion (fixture 14-events/08).
                presented.Remove("kind");
                presented.Remove("apiVersion");
            }

            itemArray.Add(presented);
        }

        var list = new JsonObject
        {
            ["kind"] = resource.ListKind,
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = listMetadata,
            ["items"] = itemArray,
        };
        if (resource.IsCustomResource)
        {
            list = new JsonObject(list.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        }

        return list;
    }

    private static string ListKey(ResourceDescriptor resource, string? ns, JsonObject item) =>
        resource.Namespaced && ns is null ? $"{KubeObject.Namespace(item)}/{KubeObject.Name(item)}" : KubeObject.Name(item);
}
