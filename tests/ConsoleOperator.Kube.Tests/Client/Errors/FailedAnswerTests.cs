using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Transport;
using TestKit.Fixtures;
using ConsoleOperator.Kube.Tests.KubeClient.Support;

namespace ConsoleOperator.Kube.Tests.KubeClient.Errors;

/// <summary>Error bodies of every shape the server produced become one exception type with usable helpers.</summary>
public sealed class FailedAnswerTests
{
    [Fact]
    public async Task The_plain_text_404_of_an_unknown_path_is_a_not_found()
    {
        var error = await ReadAsync("21-misc-http-errors/04-unknown-resource-in-known-group-404");

        Assert.True(error.IsNotFound);
        Assert.Equal(404, error.Code);
        Assert.Equal("404 page not found", error.Status.Message);
    }

    [Fact]
    public async Task An_error_that_echoes_a_whole_secret_keeps_its_data_out_of_the_exception_message()
    {
        var error = await ReadAsync("15-secrets/07-merge-patch-invalid-base64-422");

        Assert.Contains("czNjcsOpdC1ww6Rzc3dvcmQ=", error.Status.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("czNjcsOpdC1ww6Rzc3dvcmQ=", error.Message, StringComparison.Ordinal);
        Assert.Contains("illegal base64 data", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsInvalid);
    }

    [Fact]
    public async Task A_short_echoed_value_stays_in_the_exception_message()
    {
        var error = await ReadAsync("09-ssa-service/06-apply-change-clusterIP-422");

        Assert.Contains("10.0.0.123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_empty_openapi_404_is_a_not_found()
    {
        var error = await ReadAsync("19-openapi-v3/05-get-unknown-group-version-404");

        Assert.True(error.IsNotFound);
        Assert.Contains("empty body", error.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_401_is_unauthorized_and_nothing_else()
    {
        var error = await ReadAsync("16-auth-errors/01-bad-bearer-token-401");

        Assert.Equal("Unauthorized", error.Reason);
        Assert.False(error.IsForbidden);
        Assert.False(error.IsNotFound);
    }

    [Fact]
    public async Task The_protobuf_406_body_is_not_parsed_as_json()
    {
        var error = await ReadAsync("17-table-output/10-accept-protobuf-for-cr-406");

        Assert.Equal("NotAcceptable", error.Reason);
        Assert.DoesNotContain("k8s", error.Status.Message!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("03-cr-crud/03-get-missing-404", nameof(KubernetesApiException.IsNotFound))]
    [InlineData("03-cr-crud/04-create-duplicate-409", nameof(KubernetesApiException.IsAlreadyExists))]
    [InlineData("06-optimistic-concurrency/03-put-with-stale-rv-409", nameof(KubernetesApiException.IsConflict))]
    [InlineData("08-ssa-deployment/05-second-manager-conflict-409", nameof(KubernetesApiException.IsConflict))]
    [InlineData("18-delete-options/02-delete-precondition-uid-mismatch-409", nameof(KubernetesApiException.IsConflict))]
    [InlineData("05-validation/01-size0-and-unknown-default-422", nameof(KubernetesApiException.IsInvalid))]
    [InlineData("10-finalizers/03-json-patch-wrong-test-value", nameof(KubernetesApiException.IsInvalid))]
    [InlineData("04-list-pagination/04-list-expired-continue-410", nameof(KubernetesApiException.IsGone))]
    [InlineData("16-auth-errors/02-no-credentials-anonymous-403", nameof(KubernetesApiException.IsForbidden))]
    [InlineData("23-namespace-delete-terminating/03-create-in-terminating-namespace-403", nameof(KubernetesApiException.IsForbidden))]
    [InlineData("05-validation/02-size0-and-unknown-strict", nameof(KubernetesApiException.IsBadRequest))]
    public async Task Each_recorded_error_answers_exactly_its_helper(string dir, string helper)
    {
        var error = await ReadAsync(dir);
        var helpers = new Dictionary<string, bool>
        {
            [nameof(error.IsNotFound)] = error.IsNotFound,
            [nameof(error.IsAlreadyExists)] = error.IsAlreadyExists,
            [nameof(error.IsConflict)] = error.IsConflict,
            [nameof(error.IsInvalid)] = error.IsInvalid,
            [nameof(error.IsGone)] = error.IsGone,
            [nameof(error.IsForbidden)] = error.IsForbidden,
            [nameof(error.IsBadRequest)] = error.IsBadRequest,
        };

        Assert.Equal([helper], helpers.Where(h => h.Value).Select(h => h.Key));
    }

    [Fact]
    public async Task An_expired_continue_exposes_the_new_continue_token_of_the_status()
    {
        var error = await ReadAsync("04-list-pagination/04-list-expired-continue-410");

        Assert.Equal("Expired", error.Reason);
        Assert.False(string.IsNullOrEmpty(error.Status.Metadata?.ContinueProperty));
    }

    [Fact]
    public async Task Retry_after_comes_from_the_header()
    {
        using var response = TooManyRequests("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}""");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var error = await KubernetesApiException.ReadAsync(response, TimeProvider.System, CancellationToken.None);

        Assert.Equal("TooManyRequests", error.Reason);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Fact]
    public async Task Retry_after_as_a_date_is_measured_on_the_injected_clock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 23, 0, 0, TimeSpan.Zero));
        using var response = TooManyRequests("""{"kind":"Status","reason":"TooManyRequests","code":429}""");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(clock.GetUtcNow().AddSeconds(12));

        var error = await KubernetesApiException.ReadAsync(response, clock, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
    }

    [Fact]
    public async Task Retry_after_falls_back_to_details_retry_after_seconds()
    {
        using var response = TooManyRequests("""{"kind":"Status","reason":"TooManyRequests","code":429,"details":{"retryAfterSeconds":3}}""");

        var error = await KubernetesApiException.ReadAsync(response, TimeProvider.System, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Fact]
    public async Task A_json_error_body_that_is_not_a_status_still_yields_a_status_from_the_code()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Conflict) { Content = new StringContent("[1,2]", Encoding.UTF8, "application/json") };

        var error = await KubernetesApiException.ReadAsync(response, TimeProvider.System, CancellationToken.None);

        Assert.True(error.IsConflict);
        Assert.Equal(409, error.Code);
    }

    [Fact]
    public void Warning_headers_are_read_to_their_text_unescaped()
    {
        Assert.Equal("unknown field \"spec.color\"", KubernetesTransportHandler.WarningText("""299 - "unknown field \"spec.color\"" """));
        Assert.Equal("unknown field", KubernetesTransportHandler.WarningText("""299 k8s "unknown field" "Sat, 05 Dec 2026 10:00:00 GMT" """));
        Assert.Equal("not a warning value", KubernetesTransportHandler.WarningText(" not a warning value "));
    }

    private static HttpResponseMessage TooManyRequests(string body) =>
        new(HttpStatusCode.TooManyRequests) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static async Task<KubernetesApiException> ReadAsync(string dir)
    {
        using var response = RecordedResponses.ToMessage(FixtureLibrary.Get(dir).Response);
        return await KubernetesApiException.ReadAsync(response, TimeProvider.System, CancellationToken.None);
    }
}
