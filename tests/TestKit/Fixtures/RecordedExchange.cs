using System.Text.Json.Nodes;

namespace TestKit.Fixtures;

/// <summary>One recorded HTTP exchange with the real kube-apiserver: an <c>index.json</c> entry plus its files.</summary>
public sealed class RecordedExchange
{
    public RecordedExchange(JsonObject indexEntry, RecordedRequest request, RecordedResponse response)
    {
        ArgumentNullException.ThrowIfNull(indexEntry);
        IndexEntry = indexEntry;
        Request = request;
        Response = response;
    }

    /// <summary>The folder relative to the fixture root, e.g. <c>03-cr-crud/01-create-201</c>.</summary>
    public string Dir => (string)IndexEntry["dir"]!;

    /// <summary>The top-level scenario folder, e.g. <c>03-cr-crud</c>.</summary>
    public string Scenario => (string)IndexEntry["scenario"]!;

    public string Method => (string)IndexEntry["method"]!;

    /// <summary>Path and query exactly as sent.</summary>
    public string Target => (string)IndexEntry["target"]!;

    public string? RequestContentType => (string?)IndexEntry["requestContentType"];

    public string? Accept => (string?)IndexEntry["accept"];

    public int Status => (int)IndexEntry["status"]!;

    public string? ResponseContentType => (string?)IndexEntry["responseContentType"];

    /// <summary>True for watch exchanges (their body is a stream, not <c>response.body</c>).</summary>
    public bool IsWatch => (bool?)IndexEntry["watch"] ?? false;

    /// <summary>The step folder name (last path segment of <see cref="Dir"/>).</summary>
    public string Step => Dir[(Dir.LastIndexOf('/') + 1)..];

    public RecordedRequest Request { get; }

    public RecordedResponse Response { get; }

    /// <summary>The raw <c>index.json</c> entry, for fields this type does not surface.</summary>
    public JsonObject IndexEntry { get; }

    public override string ToString() => Dir;
}
