using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TestKit.FakeApiServer;

/// <summary>
/// An in-process fake kube-apiserver on 127.0.0.1 (a free port), HTTP/1.1 (h2c optional), with real resource
/// semantics for any registered resource and streaming watches. Answers in the formats recorded in
/// tests/fixtures/k8s-recordings (a replay test keeps it honest). It works on JSON only and does not use the operator's client.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    // Stable per-server values for the API Priority and Fairness headers every real response carries.
    private const string FlowSchemaUid = "04b29426-bfc3-471c-993b-776c32ccbaa6";
    private const string PriorityLevelUid = "8dd1e220-0e6b-4362-a11d-d3ab669af0e0";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly WatchStreamer _watches;

    private FakeKubeApiServer(WebApplication app, FakeApiServerOptions options)
    {
        _app = app;
        Options = options;
        Store = new ObjectStore(options.InitialResourceVersion);
        Registry = new ResourceRegistry(BuiltInResources.All.Concat(options.Resources));
        Operations = new ResourceOperations(Store, Registry, options.TimeProvider);
        Faults = new FaultInjector(Store);
        _watches = new WatchStreamer(Store, Faults, options);
        foreach (var ns in options.Namespaces)
        {
            Operations.Create(BuiltInResources.Namespaces, null, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, ApiQuery.Empty, "fake-apiserver");
        }
    }

    public FakeApiServerOptions Options { get; }

    /// <summary>The HTTP/1.1 base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The cleartext HTTP/2 (prior knowledge) address when <see cref="FakeApiServerOptions.EnableHttp2"/> is set.</summary>
    public Uri? Http2BaseAddress { get; private set; }

    public ObjectStore Store { get; }

    public ResourceRegistry Registry { get; }

    /// <summary>Direct access to the REST semantics (seed objects without HTTP).</summary>
    public ResourceOperations Operations { get; }

    /// <summary>Failure injection and watch controls.</summary>
    public FaultInjector Faults { get; }

    public RequestLog Requests { get; } = new();

    /// <summary>The User-Agent prefix of <see cref="SettleRequestLogAsync"/>'s own requests (to leave them out of a check).</summary>
    public const string SettleAgentPrefix = "settle-";

    /// <summary>
    /// Waits until <see cref="Requests"/> holds every request answered so far: a request is logged after its answer
    /// went out, so a test that just got a response could otherwise look at the log a moment too early. It sends a
    /// marked request of its own and waits for it (or fails with <see cref="TimeoutException"/> after 10 s).
    /// </summary>
    public async Task SettleRequestLogAsync()
    {
        var marker = SettleAgentPrefix + Guid.NewGuid().ToString("N");
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(marker);
        using (await http.GetAsync(new Uri("/api/v1/namespaces/default", UriKind.Relative)))
        {
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!Requests.Entries.Any(request => request.UserAgent == marker))
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException("the request log did not catch up within 10 s");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    /// <summary>Empties the request log once every earlier request is in it (so none lands after the clear).</summary>
    public async Task ClearRequestLogAsync()
    {
        await SettleRequestLogAsync();
        Requests.Clear();
    }

    public static async Task<FakeKubeApiServer> StartAsync(FakeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeApiServerOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            if (options.EnableHttp2)
            {
                // Cleartext HTTP/2 needs prior knowledge and an endpoint of its own (no upgrade from HTTP/1.1).
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        var app = builder.Build();
        var server = new FakeKubeApiServer(app, options);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetService(typeof(IServer)) is IServer kestrelServer
            ? kestrelServer.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? []
            : [];
        if (addresses.Count < (options.EnableHttp2 ? 2 : 1))
        {
            throw new InvalidOperationException("Kestrel did not report its addresses");
        }

        server.BaseAddress = new Uri(addresses[0]);
        server.Http2BaseAddress = options.EnableHttp2 ? new Uri(addresses[1]) : null;
        return server;
    }

    /// <summary>Registers a resource type (as a CRD would) so it is served from now on.</summary>
    public void Register(ResourceDescriptor resource) => Registry.Register(resource);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }

        var query = new ApiQuery(request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));
        var entry = new LoggedRequest(
            request.Method,
            request.Path.Value ?? "/",
            request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
            request.ContentType,
            body.Length == 0 ? null : Encoding.UTF8.GetString(body),
            0,
            request.Headers.UserAgent.ToString());

        var response = context.Response;
        response.Headers["Audit-Id"] = Guid.NewGuid().ToString();
        response.Headers.CacheControl = "no-cache, private";
        response.Headers["X-Kubernetes-Pf-Flowschema-Uid"] = FlowSchemaUid;
        response.Headers["X-Kubernetes-Pf-Prioritylevel-Uid"] = PriorityLevelUid;
        try
        {
            if (Faults.TakeFailure(entry) is { } failure)
            {
                throw StatusErrors.Injected(failure.Code, failure.Reason, failure.Message);
            }

            var path = ApiPath.Parse(entry.Path, Registry);
            if (path is null)
            {
                await WritePageNotFoundAsync(response);
            }
            else
            {
                await DispatchAsync(context, path, query, body, entry);
            }
        }
        catch (ApiStatusException error)
        {
            if (!response.HasStarted)
            {
                foreach (var (name, value) in error.Headers)
                {
                    response.Headers[name] = value;
                }

                foreach (var warning in error.Warnings)
                {
                    response.Headers.Append("Warning", warning);
                }

                await WriteJsonAsync(response, error.Code, error.Status);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A bug in the fake must not take it down: answer like the real server's panic handler and keep serving.
            if (!response.HasStarted)
            {
                await WriteJsonAsync(response, 500, StatusErrors.Failure(500, "InternalError", $"Internal error occurred: {error.Message}", new JsonObject()).Status);
            }
        }
        finally
        {
            Requests.Add(entry with { Status = response.StatusCode });
        }
    }

    private async Task DispatchAsync(HttpContext context, ApiPath path, ApiQuery query, byte[] body, LoggedRequest entry)
    {
        var request = context.Request;
        var manager = query["fieldManager"] is { Length: > 0 } fieldManager ? fieldManager : ManagerFromUserAgent(entry.UserAgent);
        var (resource, ns, name) = (path.Resource, path.Namespace, path.Name);
        ApiResult result;
        switch (request.Method)
        {
            case "GET" when query.IsTrue("watch"):
                await _watches.ServeAsync(context, path, query, _stopping.Token);
                return;
            case "GET" when name is null:
                result = ApiResult.Ok(await Operations.ListAsync(resource, ns, query, Options.TooLargeResourceVersionDelay, context.RequestAborted));
                break;
            case "GET":
                result = ApiResult.Ok(Operations.Get(resource, ns, name, path.Subresource));
                break;
            case "POST" when name is null || (resource.IsCustomResource && path.Subresource is null):
                {
                    var (node, duplicates) = Decode(body, request.ContentType, resource);
                    result = Operations.Create(resource, ns, name, node, query, manager, duplicates);
                    break;
                }

            case "PUT" when name is not null:
                {
                    var (node, duplicates) = Decode(body, request.ContentType, resource);
                    result = Operations.Update(resource, ns, name, path.Subresource, node, query, manager, duplicates);
                    break;
                }

            case "PATCH" when name is not null:
                result = Operations.Patch(resource, ns, name, path.Subresource, request.ContentType, body, query, manager, query["fieldManager"] is { Length: > 0 });
                break;
            case "DELETE" when name is not null && path.Subresource is null:
                result = Operations.Delete(resource, ns, name, body.Length == 0 ? null : Decode(body, request.ContentType, resource).Node, query);
                break;
            default:
                throw StatusErrors.MethodNotAllowed();
        }

        foreach (var warning in result.Warnings)
        {
            context.Response.Headers.Append("Warning", warning);
        }

        await WriteJsonAsync(context.Response, result.Code, result.Body);
    }

    private static (JsonNode? Node, IReadOnlyList<string> DuplicateFields) Decode(byte[] body, string? contentType, ResourceDescriptor resource)
    {
        try
        {
            return BodyDecoder.MediaType(contentType) == "application/yaml"
                ? (BodyDecoder.Decode(body, contentType), [])
                : BodyDecoder.DecodeJson(body);
        }
        catch (FormatException error)
        {
            throw StatusErrors.BadRequest($"the object provided is unrecognized (must be of type {resource.Kind}): couldn't get version/kind; {error.Message}");
        }
    }

    // kube-apiserver derives the manager from the User-Agent's first segment when no fieldManager is given.
    private static string ManagerFromUserAgent(string? userAgent)
    {
        var agent = string.IsNullOrEmpty(userAgent) ? "unknown" : userAgent.Split('/', 2)[0];
        return agent.Length > 128 ? agent[..128] : agent;
    }

    private static async Task WriteJsonAsync(HttpResponse response, int code, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(KubeJson.Serialize(body));
        response.StatusCode = code;
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    // Unknown paths are answered by the Go mux's NotFound handler: plain text, not a Status.
    private static async Task WritePageNotFoundAsync(HttpResponse response)
    {
        var bytes = "404 page not found\n"u8.ToArray();
        response.StatusCode = 404;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }
}
