using TestKit.Time;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TestKit.FakeApiServer;
using TestKit.Fixtures;

namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>
/// Replays recorded requests against a <see cref="FakeKubeApiServer"/> and compares its answers with the
/// recorded ones: status code, content type, Warning headers, Status bodies (key order included) and objects,
/// normalized for values that legitimately differ; watches on a manual clock, compared line by line.
/// </summary>
public sealed class ScenarioReplayer : IAsyncDisposable
{
    private static readonly DateTimeOffset ClockStart = new(2026, 11, 20, 23, 28, 0, TimeSpan.Zero);
    private readonly List<StepOutcome> _outcomes = [];
    private readonly List<(RecordedExchange Exchange, StepMode Mode, WatchStreamReader Reader)> _openWatches = [];
    private FakeKubeApiServer? _server;
    private HttpClient? _http;
    private ManualTimeProvider _clock = new(ClockStart);
    private ReplayVocabulary _vocabulary = new();

    public IReadOnlyList<StepOutcome> Outcomes => _outcomes;

    public static FakeApiServerOptions DefaultOptions(ManualTimeProvider clock, bool watchCache = true, params string[] namespaces) => new()
    {
        TimeProvider = clock,
        WatchCache = watchCache,
        TooLargeResourceVersionDelay = TimeSpan.Zero,
        Namespaces = namespaces,
    };

    public async Task RunAsync(IEnumerable<ReplayAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        foreach (var action in actions)
        {
            switch (action)
            {
                case ReplayAction.NewServer newServer:
                    await StartServerAsync(newServer.Options);
                    break;
                case ReplayAction.Setup setup:
                    await EnsureServerAsync();
                    await SendAsync(FixtureLibrary.Get(setup.Dir), StepMode.StatusCodeOnly, null, ResourceVersionChoice.Translate, isSetup: true);
                    break;
                case ReplayAction.Send send when send.Mode == StepMode.Excluded:
                    _outcomes.Add(new StepOutcome(send.Dir, "EXCLUDED: " + send.Reason, []));
                    break;
                case ReplayAction.Send send:
                    await EnsureServerAsync();
                    await SendAsync(FixtureLibrary.Get(send.Dir), send.Mode, send.Reason, send.Rv, isSetup: false);
                    break;
                case ReplayAction.OpenWatch open:
                    await EnsureServerAsync();
                    await OpenWatchAsync(FixtureLibrary.Get(open.Dir), open.Mode, ResourceVersionChoice.Translate);
                    break;
                case ReplayAction.FinishWatches:
                    await FinishWatchesAsync();
                    break;
                case ReplayAction.Compact:
                    await EnsureServerAsync();
                    _server!.Faults.CompactHistory();
                    break;
            }
        }

        await FinishWatchesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopServerAsync();
    }

    private async Task EnsureServerAsync()
    {
        if (_server is null)
        {
            await StartServerAsync(DefaultOptions(_clock, true, "default"));
        }
    }

    private async Task StartServerAsync(FakeApiServerOptions options)
    {
        await StopServerAsync();
        _clock = options.TimeProvider as ManualTimeProvider ?? throw new InvalidOperationException("the replay needs a ManualTimeProvider");
        _vocabulary = new ReplayVocabulary();
        _server = await FakeKubeApiServer.StartAsync(options);
        _http = new HttpClient { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    private async Task StopServerAsync()
    {
        await FinishWatchesAsync();
        _http?.Dispose();
        _http = null;
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    private HttpRequestMessage BuildRequest(RecordedExchange exchange, ResourceVersionChoice rv)
    {
        Func<string, string?>? rvOverride = rv switch
        {
            ResourceVersionChoice.Fresh => _ => _server!.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ResourceVersionChoice.Stale => _ => (_server!.Store.CompactedRevision - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
        var request = new HttpRequestMessage(new HttpMethod(exchange.Method), _vocabulary.TranslateTarget(exchange.Target, rvOverride));
        request.Headers.TryAddWithoutValidation("User-Agent", exchange.Request.Headers.Find("User-Agent"));
        if (exchange.Accept is { } accept)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var body = _vocabulary.TranslateBody(exchange.Request.Body, exchange.RequestContentType);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (exchange.RequestContentType is { } contentType)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return request;
    }

    private async Task SendAsync(RecordedExchange exchange, StepMode mode, string? reason, ResourceVersionChoice rv, bool isSetup)
    {
        if (exchange.IsWatch)
        {
            await OpenWatchAsync(exchange, mode, rv);
            await FinishWatchesAsync();
            return;
        }

        using var request = BuildRequest(exchange, rv);
        using var response = await _http!.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var problems = new List<string>();
        var status = (int)response.StatusCode;
        if (status != exchange.Status)
        {
            problems.Add($"status: recorded {exchange.Status}, fake {status}: {Encoding.UTF8.GetString(bytes)}");
        }

        var contentType = response.Content.Headers.ContentType?.ToString();
        if (exchange.ResponseContentType is { } recordedType && recordedType != contentType)
        {
            problems.Add($"content type: recorded {recordedType}, fake {contentType}");
        }

        if (isSetup)
        {
            if (problems.Count == 0 && IsJson(exchange.ResponseContentType))
            {
                _vocabulary.Learn(JsonNode.Parse(exchange.Response.Body!), JsonNode.Parse(bytes), includeListResourceVersion: false, []);
            }

            if (problems.Count > 0)
            {
                _outcomes.Add(new StepOutcome("(setup) " + exchange.Dir, string.Empty, problems));
            }

            return;
        }

        if (problems.Count == 0 && mode != StepMode.StatusCodeOnly)
        {
            var recordedWarnings = exchange.Response.Headers.FindAll("Warning");
            var fakeWarnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
            if (!recordedWarnings.SequenceEqual(fakeWarnings))
            {
                problems.Add($"warnings: recorded [{string.Join(" | ", recordedWarnings)}], fake [{string.Join(" | ", fakeWarnings)}]");
            }

            problems.AddRange(CompareBodies(exchange, bytes, mode));
        }

        var verdict = mode switch
        {
            StepMode.StatusCodeOnly => "MATCH (status code only: " + reason + ")",
            StepMode.IgnoreMessage => "MATCH (Status message not compared: " + reason + ")",
            StepMode.IgnoreListResourceVersion => "MATCH (list resourceVersion not paired: " + reason + ")",
            StepMode.ListItemNames => "MATCH (list item names only: " + reason + ")",
            _ => "MATCH",
        };
        _outcomes.Add(new StepOutcome(exchange.Dir, verdict, problems));
    }

    private List<string> CompareBodies(RecordedExchange exchange, byte[] fakeBytes, StepMode mode)
    {
        var problems = new List<string>();
        var recordedBytes = exchange.Response.Body ?? [];
        if (!IsJson(exchange.ResponseContentType))
        {
            if (!recordedBytes.SequenceEqual(fakeBytes))
            {
                problems.Add($"body: recorded '{Encoding.UTF8.GetString(recordedBytes)}', fake '{Encoding.UTF8.GetString(fakeBytes)}'");
            }

            return problems;
        }

        var recorded = JsonNode.Parse(recordedBytes);
        JsonNode? fake;
        try
        {
            fake = JsonNode.Parse(fakeBytes);
        }
        catch (System.Text.Json.JsonException error)
        {
            problems.Add($"fake body is not JSON ({error.Message})");
            return problems;
        }

        if (mode != StepMode.ListItemNames)
        {
            _vocabulary.Learn(recorded, fake, includeListResourceVersion: mode != StepMode.IgnoreListResourceVersion, problems);
        }
        if (recorded is JsonObject recordedObject && (string?)recordedObject["kind"] == "Status" && fake is JsonObject fakeObject)
        {
            problems.AddRange(JsonDiff.KeyOrderDifferences(recordedObject, fakeObject));
        }

        if (mode == StepMode.ListItemNames)
        {
            static List<string> Names(JsonNode? list, Func<string, string> map) =>
                (list?["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => map(KubeObject.Name(i))).Order(StringComparer.Ordinal).ToList();
            var expectedNames = Names(recorded, n => n);
            var actualNames = Names(fake, n => _vocabulary.Names.ToRecorded(n) ?? n);
            if ((string?)recorded?["kind"] != (string?)fake?["kind"] || !expectedNames.SequenceEqual(actualNames))
            {
                problems.Add($"list: recorded {(string?)recorded?["kind"]} [{string.Join(",", expectedNames)}], fake {(string?)fake?["kind"]} [{string.Join(",", actualNames)}]");
            }

            return problems;
        }

        var expected = _vocabulary.Normalize(recorded, fromFake: false);
        var actual = _vocabulary.Normalize(fake, fromFake: true);
        if (mode == StepMode.IgnoreMessage)
        {
            expected?.AsObject().Remove("message");
            actual?.AsObject().Remove("message");
            StripCauseMessages(expected);
            StripCauseMessages(actual);
        }

        if (mode == StepMode.IgnoreListResourceVersion)
        {
            expected?["metadata"]?.AsObject().Remove("resourceVersion");
            actual?["metadata"]?.AsObject().Remove("resourceVersion");
        }

        problems.AddRange(JsonDiff.Differences(expected, actual));
        return problems;
    }

    private static void StripCauseMessages(JsonNode? status)
    {
        foreach (var cause in (status?["details"]?["causes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            cause.Remove("message");
        }
    }

    private async Task OpenWatchAsync(RecordedExchange exchange, StepMode mode, ResourceVersionChoice rv)
    {
        var watchesBefore = _server!.Store.OpenWatchCount;
        var request = BuildRequest(exchange, rv);
        var response = await _http!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new WatchStreamReader(response);
        _openWatches.Add((exchange, mode, reader));

        // Wait until the fake registered the watch (or already ended it, e.g. with an in-stream 410).
        for (var i = 0; i < 500 && _server.Store.OpenWatchCount <= watchesBefore && !reader.Finished; i++)
        {
            await Task.Delay(10);
        }
    }

    private async Task FinishWatchesAsync()
    {
        if (_openWatches.Count == 0)
        {
            return;
        }

        // Step simulated time one second at a time so bookmarks and the clean end happen in order, letting each
        // stream settle (real time, bounded) before the next step.
        for (var second = 0; second < 200 && _openWatches.Any(w => !w.Reader.Finished); second++)
        {
            await Task.Delay(2);
            foreach (var (_, _, reader) in _openWatches)
            {
                await reader.SettleAsync(TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(2));
            }

            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        foreach (var (exchange, mode, reader) in _openWatches)
        {
            await reader.WaitForEndAsync(TimeSpan.FromSeconds(5));
            _outcomes.Add(new StepOutcome(exchange.Dir, mode == StepMode.WatchTypesAndNames ? "MATCH (event types and names)" : "MATCH", CompareWatch(exchange, mode, reader)));
            await reader.DisposeAsync();
        }

        _openWatches.Clear();
    }

    private List<string> CompareWatch(RecordedExchange exchange, StepMode mode, WatchStreamReader reader)
    {
        var problems = new List<string>();
        if (reader.StatusCode != exchange.Status)
        {
            problems.Add($"status: recorded {exchange.Status}, fake {reader.StatusCode}");
        }

        if (exchange.ResponseContentType != reader.ContentType)
        {
            problems.Add($"content type: recorded {exchange.ResponseContentType}, fake {reader.ContentType}");
        }

        if ((exchange.Response.CurlExit == 0) != reader.EndedCleanly)
        {
            problems.Add($"end: recorded curl exit {exchange.Response.CurlExit}, fake ended cleanly = {reader.EndedCleanly} ({reader.Failure?.Message})");
        }

        var recorded = exchange.Response.WatchLines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var fake = reader.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var recordedEvents = recorded.Where(e => (string?)e["type"] != "BOOKMARK").ToList();
        var fakeEvents = fake.Where(e => (string?)e["type"] != "BOOKMARK").ToList();

        if (mode == StepMode.WatchTypesAndNames)
        {
            static string Describe(JsonObject e) => $"{(string?)e["type"]} {KubeObject.Name((JsonObject)e["object"]!)}";
            var expected = recordedEvents.Select(Describe).Order(StringComparer.Ordinal).ToList();
            var actual = fakeEvents.Select(e => $"{(string?)e["type"]} {_vocabulary.Names.ToRecorded(KubeObject.Name((JsonObject)e["object"]!)) ?? KubeObject.Name((JsonObject)e["object"]!)}").Order(StringComparer.Ordinal).ToList();
            if (!expected.SequenceEqual(actual))
            {
                problems.Add($"events: recorded [{string.Join(", ", expected)}], fake [{string.Join(", ", actual)}]");
            }
        }
        else
        {
            if (recordedEvents.Count != fakeEvents.Count)
            {
                problems.Add($"event count: recorded {recordedEvents.Count} ({string.Join(",", recordedEvents.Select(e => (string?)e["type"]))}), fake {fakeEvents.Count} ({string.Join(",", fakeEvents.Select(e => (string?)e["type"]))})");
            }

            for (var i = 0; i < Math.Min(recordedEvents.Count, fakeEvents.Count); i++)
            {
                _vocabulary.Learn(recordedEvents[i]["object"], fakeEvents[i]["object"], includeListResourceVersion: false, problems);
                var differences = JsonDiff.Differences(_vocabulary.Normalize(recordedEvents[i], false), _vocabulary.Normalize(fakeEvents[i], true));
                problems.AddRange(differences.Select(d => $"event {i}: {d}"));
            }
        }

        // The real cache may repeat a bookmark (11/08 got two in a row); the fake sends each one once. So compare
        // whether bookmarks came, their resourceVersion and their object shape, not their count.
        var recordedBookmarks = recorded.Where(e => (string?)e["type"] == "BOOKMARK").ToList();
        var fakeBookmarks = fake.Where(e => (string?)e["type"] == "BOOKMARK").ToList();
        if (recordedBookmarks.Count > 0 != fakeBookmarks.Count > 0 || (mode != StepMode.WatchTypesAndNames && recordedBookmarks.DistinctBy(b => b.ToJsonString()).Count() != fakeBookmarks.DistinctBy(b => b.ToJsonString()).Count()))
        {
            problems.Add($"bookmarks: recorded {recordedBookmarks.Count}, fake {fakeBookmarks.Count}");
        }
        else if (mode != StepMode.WatchTypesAndNames)
        {
            foreach (var (expected, actual) in recordedBookmarks.DistinctBy(b => b.ToJsonString()).Zip(fakeBookmarks.DistinctBy(b => b.ToJsonString())))
            {
                var differences = JsonDiff.Differences(_vocabulary.Normalize(expected, false), _vocabulary.Normalize(actual, true));
                problems.AddRange(differences.Select(d => $"bookmark: {d}"));
            }
        }

        return problems;
    }

    private static bool IsJson(string? contentType) => contentType?.StartsWith("application/json", StringComparison.Ordinal) == true;
}
