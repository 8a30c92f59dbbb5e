using System.Text;
using System.Text.Json.Nodes;
using TestKit.Fixtures;

namespace ConsoleOperator.Kube.Tests.Fixtures;

public sealed class FixtureLibraryTests
{
    public static TheoryData<string> AllDirs()
    {
        var data = new TheoryData<string>();
        foreach (var exchange in FixtureLibrary.All)
        {
            data.Add(exchange.Dir);
        }

        return data;
    }

    [Fact]
    public void The_library_loads_every_index_entry_in_order()
    {
        var index = (JsonArray)JsonNode.Parse(File.ReadAllBytes(Path.Combine(FixtureLibrary.Root, "index.json")))!;

        Assert.Equal(index.Count, FixtureLibrary.All.Count);
        Assert.Equal(index.Select(e => (string)e!["dir"]!), FixtureLibrary.All.Select(e => e.Dir));
    }

    [Theory]
    [MemberData(nameof(AllDirs))]
    public void Every_exchange_parses_consistently_with_its_index_entry(string dir)
    {
        var exchange = FixtureLibrary.Get(dir);
        var files = exchange.IndexEntry["files"]!.AsArray().Select(f => (string)f!).ToHashSet();

        Assert.Equal(exchange.Method, exchange.Request.Method);
        Assert.Equal(exchange.Target, exchange.Request.Target);
        Assert.Equal(exchange.Status, exchange.Response.Status);
        Assert.Equal(exchange.ResponseContentType, exchange.Response.ContentType);
        Assert.Equal(exchange.RequestContentType, exchange.Request.ContentType);
        Assert.Equal(exchange.Accept, exchange.Request.Headers.Find("Accept"));
        Assert.Equal("fixture-recorder/1.0", exchange.Request.Headers.Find("User-Agent"));
        Assert.Equal(files.Contains("request.body"), exchange.Request.Body is not null);
        Assert.Equal(files.Contains("response.body"), exchange.Response.Body is not null);
        Assert.Equal(exchange.IsWatch, exchange.Response.IsWatch);
        Assert.StartsWith(exchange.Scenario, exchange.Dir, StringComparison.Ordinal);

        var contentLength = exchange.Response.Headers.Find("Content-Length");
        if (contentLength is not null)
        {
            Assert.Equal(int.Parse(contentLength, System.Globalization.CultureInfo.InvariantCulture), exchange.Response.Body?.Length ?? 0);
        }

        var requestLength = exchange.Request.Headers.Find("Content-Length");
        if (requestLength is not null)
        {
            Assert.Equal(int.Parse(requestLength, System.Globalization.CultureInfo.InvariantCulture), exchange.Request.Body!.Length);
        }

        if (exchange.IsWatch)
        {
            Assert.NotNull(exchange.Response.Timeline);
            Assert.True(exchange.Response.Timeline![0].IsStart);
            Assert.NotNull(exchange.Response.CurlExit);
            Assert.All(exchange.Response.WatchLines, line => Assert.NotNull(JsonNode.Parse(line)!["type"]));
        }
    }

    [Fact]
    public void Repeated_warning_headers_stay_separate_and_in_order()
    {
        var response = FixtureLibrary.Get("05-validation/03-unknown-field-default-201-warning").Response;

        Assert.Equal(
            ["299 - \"unknown field \\\"extraTopLevel\\\"\"", "299 - \"unknown field \\\"spec.color\\\"\""],
            response.Headers.FindAll("Warning"));
        Assert.Equal("Created", response.ReasonPhrase);
    }

    [Fact]
    public void The_chunked_wire_recording_decodes_to_the_same_events_as_its_timeline()
    {
        var response = FixtureLibrary.Get("11-watch/02-watch-timeout30-chunked-wire").Response;
        var jsonLinesInTimeline = response.Timeline!.Where(t => t.Line.StartsWith('{')).Select(t => t.Line).ToList();

        Assert.NotNull(response.StreamChunked);
        Assert.Null(response.StreamRaw);
        Assert.Equal(jsonLinesInTimeline, response.WatchLines);
        Assert.Equal(0, response.CurlExit);
    }

    [Fact]
    public void A_watch_error_stream_has_one_line_with_the_in_band_410()
    {
        var response = FixtureLibrary.Get("12-watch-expired/01-watch-rv1-too-old-inband-410").Response;

        var line = Assert.Single(response.WatchLines);
        Assert.Equal(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: 1 (196)\",\"reason\":\"Expired\",\"code\":410}}",
            line);
        Assert.Equal(["#START", line, "#EOF"], response.Timeline!.Select(t => t.Line));
    }

    [Fact]
    public void Request_bodies_are_the_exact_recorded_bytes()
    {
        var request = FixtureLibrary.Get("03-cr-crud/01-create-201").Request;
        var onDisk = File.ReadAllBytes(Path.Combine(FixtureLibrary.Root, "03-cr-crud/01-create-201/request.body"));

        Assert.Equal(onDisk, request.Body);
        Assert.Equal("/apis/example.dev/v1/namespaces/demo/widgets", request.Path);
        Assert.Equal(string.Empty, request.Query);
    }

    [Fact]
    public void Scenario_returns_sub_folders_in_recorded_order_and_unknown_names_fail_clearly()
    {
        var watch = FixtureLibrary.Scenario("11-watch");

        Assert.Equal("11-watch/00-list-for-resourceVersion", watch[0].Dir);
        Assert.Contains(watch, e => e.Dir.StartsWith("11-watch/08-builtin-types-bookmarks/", StringComparison.Ordinal));
        var error = Assert.Throws<KeyNotFoundException>(() => FixtureLibrary.Scenario("99-nope"));
        Assert.Contains("99-nope", error.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => FixtureLibrary.Get("03-cr-crud/99-nope"));
    }

    [Fact]
    public void Chunked_decoding_rejects_a_bad_size_line()
    {
        Assert.Equal("hello"u8.ToArray(), ChunkedEncoding.Decode(Encoding.ASCII.GetBytes("5\r\nhello\r\n0\r\n\r\n")));
        Assert.Throws<FormatException>(() => ChunkedEncoding.Decode(Encoding.ASCII.GetBytes("zz\r\nhello\r\n")));
    }
}
