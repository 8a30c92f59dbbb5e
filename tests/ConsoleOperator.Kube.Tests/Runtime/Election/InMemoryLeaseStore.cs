using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client;
using ConsoleOperator.Kube.Client.Entities;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using k8s.Models;
using KubernetesClientConfiguration = k8s.KubernetesClientConfiguration;

namespace ConsoleOperator.Kube.Tests.Runtime.Election;

/// <summary>
/// One elector's connection to an <see cref="InMemoryLease"/>: an HTTP handler in front of our Kubernetes client that
/// answers the lease's GET, POST and PUT itself, as the API server would (409 as a Status), so the elector runs on the
/// real client in virtual time. A test can cut it (<see cref="Unreachable"/>) or interleave a concurrent write
/// (<see cref="BeforeUpdate"/>).
/// </summary>
public sealed class InMemoryLeaseStore : DelegatingHandler
{
    public const string Namespace = "kube-system";

    public const string Name = "console-operator";

    private readonly InMemoryLease _shared;
    private readonly KubernetesClient _client;
    private int _calls;
    private volatile bool _unreachable;
    private Action? _beforeUpdate;
    private int _loseNextReply;

    public InMemoryLeaseStore(InMemoryLease shared)
    {
        _shared = shared;
        _client = new KubernetesClient(new KubernetesClientConfiguration { Host = "http://lease.invalid" }, handlers: this);
    }

    /// <summary>The lease client an elector is given: every call it makes is answered here.</summary>
    public ResourceClient<V1Lease> Leases => _client.Resource<V1Lease>(Namespace);

    /// <summary>While true every call fails as if the API server could not be reached.</summary>
    public bool Unreachable
    {
        get => _unreachable;
        set => _unreachable = value;
    }

    /// <summary>Runs once, just before the next update reaches the lease (between the elector's read and its write).</summary>
    public Action? BeforeUpdate
    {
        get => Volatile.Read(ref _beforeUpdate);
        set => Volatile.Write(ref _beforeUpdate, value);
    }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>
    /// The next update reaches the lease but its answer never comes back: the call fails as a cancelled request does
    /// when the server had already applied it (a renewal in flight when the process is told to stop).
    /// </summary>
    public void LoseNextReply() => Volatile.Write(ref _loseNextReply, 1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        if (_unreachable)
        {
            throw new HttpRequestException("Connection refused (injected by the test)");
        }

        var response = await AnswerAsync(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            if (request.Method == HttpMethod.Get)
            {
                return _shared.Get() is { } current ? Answer(HttpStatusCode.OK, current) : Refuse(404, "NotFound");
            }

            var lease = JsonSerializer.Deserialize(await request.Content!.ReadAsStringAsync(cancellationToken), EntityJson.TypeInfo<V1Lease>())!;
            if (request.Method == HttpMethod.Post)
            {
                return Answer(HttpStatusCode.Created, _shared.Create(lease));
            }

            Interlocked.Exchange(ref _beforeUpdate, null)?.Invoke();
            var stored = _shared.Replace(lease);
            if (Interlocked.Exchange(ref _loseNextReply, 0) == 1)
            {
                throw new OperationCanceledException("The answer to this update was lost (injected by the test)");
            }

            return Answer(HttpStatusCode.OK, stored);
        }
        catch (KubernetesApiException e)
        {
            return Refuse(e.Code, e.Reason);
        }
    }

    private static HttpResponseMessage Answer(HttpStatusCode code, V1Lease lease) => Json(code, JsonSerializer.Serialize(lease, EntityJson.TypeInfo<V1Lease>()));

    private static HttpResponseMessage Refuse(int code, string reason) =>
        Json((HttpStatusCode)code, new JsonObject { ["kind"] = "Status", ["status"] = "Failure", ["code"] = code, ["reason"] = reason }.ToJsonString());

    private static HttpResponseMessage Json(HttpStatusCode code, string body) =>
        new(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
