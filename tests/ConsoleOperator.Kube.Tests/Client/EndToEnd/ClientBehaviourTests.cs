using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using ConsoleOperator.Kube.Client.Transport;
using ConsoleOperator.Kube.Client.Watch;
using TestKit.Fixtures;
using TestKit.Replay;
using ConsoleOperator.Kube.Tests.KubeClient.Support;
using k8s;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.KubeClient.EndToEnd;

/// <summary>Behaviour of the client over real HTTP that single recorded exchanges cannot show on their own.</summary>
public sealed class ClientBehaviourTests : IAsyncLifetime
{
    private static readonly ResourceDescriptor Widgets = new ResourceDescriptor("example.dev", "v1", "widgets", "Widget");

    // The idle timer runs from the request, so it also covers the connection's setup (a first TLS handshake in a test
    // process can take most of a second on a busy machine): long enough for that, short for a stall.
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);
    private ReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_token_file_is_read_by_the_library_and_a_401_is_surfaced_not_retried()
    {
        // The library's TokenFileAuth (the in-cluster provider) re-reads the file once a minute by the wall clock, as
        // client-go does; nothing re-reads it on a 401, so a 401 is one request and an Unauthorized error.
        using var directory = new TemporaryDirectory();
        var tokenPath = directory.Write("token", "file-token\n");
        using var client = Client(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString(), TokenProvider = new k8s.Authentication.TokenFileAuth(tokenPath) });
        var widgets = client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo");
        _server.Enqueue(FixtureLibrary.Get("16-auth-errors/12-sa-token-list-widgets-after-rbac-200"));
        await widgets.ListAsync();
        _server.Enqueue(FixtureLibrary.Get("16-auth-errors/01-bad-bearer-token-401"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => widgets.ListAsync());

        Assert.Equal(401, error.Code);
        Assert.Equal(["Bearer file-token", "Bearer file-token"], _server.Received.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task A_401_with_an_unchanged_token_is_not_retried()
    {
        using var client = Client(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString(), AccessToken = "this-is-not-a-valid-token" });
        _server.Enqueue(FixtureLibrary.Get("16-auth-errors/01-bad-bearer-token-401"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").ListAsync());

        Assert.Equal(401, error.Code);
        Assert.Single(_server.Received);
    }

    [Fact]
    public async Task Warning_headers_reach_the_caller_one_per_header_line()
    {
        var warnings = new List<string>();
        using var client = Client(options: new KubernetesClientOptions { OnWarning = warnings.Add });
        var exchange = FixtureLibrary.Get("05-validation/03-unknown-field-default-201-warning");
        _server.Enqueue(exchange);

        await client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo")
            .CreateAsync(System.Text.Json.JsonSerializer.Deserialize(exchange.Request.Body!, EntityJson.TypeInfo<UntypedObject>())!);

        Assert.Equal(["unknown field \"extraTopLevel\"", "unknown field \"spec.color\""], warnings);
    }

    [Fact]
    public async Task ListAll_follows_continue_tokens_and_keeps_the_snapshot_version()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("04-list-pagination/01-list-limit2-page1"));
        _server.Enqueue(FixtureLibrary.Get("04-list-pagination/02-list-limit2-page2"));
        _server.Enqueue(FixtureLibrary.Get("04-list-pagination/03-list-limit2-page3-last"));

        var all = await client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").ListAllAsync(new ListOptions { Limit = 2 });

        Assert.Equal(["w1", "w2", "w3", "w4", "w5"], all.Items.Select(w => w.Metadata.Name));
        Assert.Equal("204", all.Metadata.ResourceVersion);
        Assert.Null(all.Metadata.ContinueProperty);
        // The same parameters as recorded; their order is the library's (its OpenAPI order), not kubectl's.
        static string? Canonical(IEnumerable<KeyValuePair<string, string>> query) =>
            query.Any(p => p.Key == "continue") ? string.Join("&", query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : null;
        Assert.Equal(
            [null, Canonical(ReceivedRequest.ParseQuery(FixtureLibrary.Get("04-list-pagination/02-list-limit2-page2").Request.Query)), Canonical(ReceivedRequest.ParseQuery(FixtureLibrary.Get("04-list-pagination/03-list-limit2-page3-last").Request.Query))],
            _server.Received.Select(r => Canonical(r.Query)));
    }

    [Fact]
    public async Task ListAll_surfaces_an_expired_continue_as_gone_so_the_caller_relists()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("04-list-pagination/01-list-limit2-page1"));
        _server.Enqueue(FixtureLibrary.Get("04-list-pagination/04-list-expired-continue-410"));

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() =>
            client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").ListAllAsync(new ListOptions { Limit = 2 }));

        Assert.True(error.IsGone);
        Assert.Equal(2, _server.Received.Count);
    }

    [Fact]
    public async Task A_stalled_watch_ends_in_the_idle_timeout_error_not_a_hang()
    {
        using var client = Client();
        var lines = FixtureLibrary.Get("11-watch/01-watch-timeout30").Response.WatchLines.Take(2).ToList();
        _server.Enqueue(ReplayResponse.Watch(lines, WatchEnding.Stall));
        var seen = new List<WatchEvent<UntypedObject>>();

        var watch = async () =>
        {
            await foreach (var e in client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo")
                .WatchAsync(new WatchOptions { ResourceVersion = "236", TimeoutSeconds = 30, IdleTimeout = IdleTimeout }))
            {
                seen.Add(e);
            }
        };

        await Assert.ThrowsAsync<TimeoutException>(() => watch().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task A_dropped_watch_connection_ends_in_an_error_not_a_hang()
    {
        using var client = Client();
        var lines = FixtureLibrary.Get("11-watch/01-watch-timeout30").Response.WatchLines.Take(3).ToList();
        _server.Enqueue(ReplayResponse.Watch(lines, WatchEnding.Abort));
        var seen = new List<WatchEvent<UntypedObject>>();

        var watch = async () =>
        {
            await foreach (var e in client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo")
                .WatchAsync(new WatchOptions { ResourceVersion = "236", IdleTimeout = TimeSpan.FromSeconds(10) }))
            {
                seen.Add(e);
            }
        };

        await Assert.ThrowsAsync<IOException>(() => watch().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public async Task A_watch_with_spaced_events_and_a_clean_end_completes_normally()
    {
        using var client = Client();
        var lines = FixtureLibrary.Get("11-watch/01-watch-timeout30").Response.WatchLines;
        _server.Enqueue(ReplayResponse.Watch(lines, WatchEnding.Clean, TimeSpan.FromMilliseconds(50)));
        var types = new List<WatchEventType>();

        await foreach (var e in client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo")
            .WatchAsync(new WatchOptions { ResourceVersion = "236", TimeoutSeconds = 30, IdleTimeout = TimeSpan.FromSeconds(5) }))
        {
            types.Add(e.Type);
        }

        Assert.Equal(9, types.Count);
        Assert.Equal(WatchEventType.Bookmark, types[^1]);
    }

    [Fact]
    public async Task A_call_that_gets_no_answer_within_its_deadline_times_out()
    {
        using var client = Client(options: new KubernetesClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(500) });
        _server.Enqueue(ReplayResponse.Watch([], WatchEnding.Stall));

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetAsync("w1").WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Contains("/widgets/w1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_sends_json_as_apply_patch_with_field_manager_and_force_and_never_managed_fields()
    {
        using var client = Client();
        var exchange = FixtureLibrary.Get("08-ssa-deployment/04-apply-change-200");
        _server.Enqueue(exchange);
        var deployment = System.Text.Json.JsonSerializer.Deserialize(FixtureLibrary.Get("08-ssa-deployment/11-get-final").Response.Body!, EntityJson.TypeInfo<V1Deployment>())!;
        deployment.ApiVersion = null;
        deployment.Kind = null;

        var applied = await client.Resource(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "demo").ApplyAsync(deployment, "console-operator");

        var request = Assert.Single(_server.Received);
        Assert.Equal("application/apply-patch+yaml", request.Header("Content-Type"));
        Assert.Equal([new("fieldManager", "console-operator"), new KeyValuePair<string, string>("force", "true")], request.Query);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Null(body["metadata"]!["managedFields"]);
        Assert.Equal(("apps/v1", "Deployment"), ((string?)body["apiVersion"], (string?)body["kind"]));
        Assert.Equal("220", applied.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Apply_without_a_field_manager_is_refused_before_sending()
    {
        using var client = Client();

        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            client.Resource(KnownResources.Deployment, EntityJson.TypeInfo<V1Deployment>(), "demo")
                .ApplyAsync(new V1Deployment { Metadata = new V1ObjectMeta { Name = "web" } }, " "));

        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task A_body_namespace_that_contradicts_the_client_namespace_is_refused_before_sending()
    {
        using var client = Client();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo")
                .CreateAsync(new UntypedObject { ApiVersion = "example.dev/v1", Kind = "Widget", Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "other" } }));

        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task GetOrDefault_turns_not_found_into_null()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("03-cr-crud/03-get-missing-404"));

        Assert.Null(await client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetOrDefaultAsync("does-not-exist"));
    }

    [Fact]
    public async Task The_user_agent_names_the_operator_with_its_version()
    {
        using var client = Client();
        _server.Enqueue(FixtureLibrary.Get("03-cr-crud/02-get-200"));

        await client.Resource(Widgets, EntityJson.TypeInfo<UntypedObject>(), "demo").GetAsync("w1");

        Assert.Matches(@"^console-operator/\d+\.\d+\.\d+", Assert.Single(_server.Received).Header("User-Agent"));
    }

    private KubernetesClient Client(KubernetesClientConfiguration? configuration = null, TimeProvider? clock = null, KubernetesClientOptions? options = null) =>
        new(configuration ?? new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() }, options, clock);
}
