using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TestKit.Fixtures;

/// <summary>
/// The recorded kube-apiserver exchanges of <c>tests/fixtures/k8s-recordings</c>, loaded once on first use and kept
/// in <c>index.json</c> order (which is the order they were made in).
/// </summary>
public static class FixtureLibrary
{
    private static readonly Lazy<string> LazyRoot = new(FixtureRoot.Locate, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<IReadOnlyList<RecordedExchange>> LazyAll = new(LoadAll, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Dictionary<string, RecordedExchange>> LazyByDir = new(
        () => LazyAll.Value.ToDictionary(e => e.Dir, StringComparer.Ordinal),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Absolute path of the fixture folder.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Every exchange in <c>index.json</c> order.</summary>
    public static IReadOnlyList<RecordedExchange> All => LazyAll.Value;

    /// <summary>The exchange recorded in <paramref name="dir"/> (relative to the root, e.g. <c>03-cr-crud/01-create-201</c>).</summary>
    public static RecordedExchange Get(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var key = dir.Replace('\\', '/').Trim('/');
        return LazyByDir.Value.TryGetValue(key, out var exchange)
            ? exchange
            : throw new KeyNotFoundException($"No recorded exchange '{dir}' in {Path.Combine(Root, "index.json")}.");
    }

    /// <summary>The exchanges of one scenario (e.g. <c>10-finalizers</c>) in recorded order, sub-folders included.</summary>
    public static IReadOnlyList<RecordedExchange> Scenario(string scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var found = All.Where(e => e.Scenario == scenario).ToList();
        return found.Count > 0
            ? found
            : throw new KeyNotFoundException($"No recorded scenario '{scenario}' in {Path.Combine(Root, "index.json")}.");
    }

    /// <summary>Loads one exchange folder; public so a test can read a folder outside the index if it must.</summary>
    public static RecordedExchange Load(string root, JsonObject indexEntry)
    {
        ArgumentNullException.ThrowIfNull(indexEntry);
        var dir = (string?)indexEntry["dir"] ?? throw new FormatException("index.json entry without 'dir'");
        var folder = Path.Combine(root, dir);

        byte[]? Read(string name)
        {
            var path = Path.Combine(folder, name);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }

        var requestHttp = Read("request.http") ?? throw new FileNotFoundException($"{dir}/request.http is missing");
        var request = RecordedHttpParser.ParseRequest(requestHttp, Read("request.body"));

        var responseHead = Read("response.headers") ?? throw new FileNotFoundException($"{dir}/response.headers is missing");
        var (status, reason, headers) = RecordedHttpParser.ParseResponseHead(responseHead);

        var timelineBytes = Read("stream.timeline");
        var curlExitBytes = Read("curl.exit");
        int? curlExit = curlExitBytes is null
            ? null
            : int.Parse(Encoding.ASCII.GetString(curlExitBytes).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

        var response = new RecordedResponse(
            status,
            reason,
            headers,
            Read("response.body"),
            Read("stream.raw"),
            Read("stream.chunked"),
            timelineBytes is null ? null : RecordedHttpParser.ParseTimeline(Encoding.UTF8.GetString(timelineBytes)),
            curlExit);

        return new RecordedExchange(indexEntry, request, response);
    }

    private static List<RecordedExchange> LoadAll()
    {
        var root = Root;
        var indexPath = Path.Combine(root, "index.json");
        var index = JsonNode.Parse(File.ReadAllBytes(indexPath)) as JsonArray
            ?? throw new FormatException($"{indexPath} is not a JSON array");
        return index
            .Select(node => Load(root, node as JsonObject ?? throw new FormatException($"{indexPath}: an entry is not an object")))
            .ToList();
    }
}
