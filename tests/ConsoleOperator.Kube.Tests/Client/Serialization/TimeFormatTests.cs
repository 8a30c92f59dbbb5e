using System.Text.Json;
using System.Text.Json.Nodes;
using ConsoleOperator.Kube.Client.Entities;
using TestKit.Fixtures;
using FsCheck;
using FsCheck.Fluent;
using k8s.Models;

namespace ConsoleOperator.Kube.Tests.KubeClient.Serialization;

/// <summary>MicroTime and metav1.Time on the wire, checked against what kube-apiserver accepted and refused (fixtures 13, 14).</summary>
public sealed class TimeFormatTests
{
    [Fact]
    public void A_lease_MicroTime_goes_out_with_exactly_six_fractional_digits_and_Z()
    {
        var lease = new k8s.Models.V1Lease
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "l" },
            Spec = new k8s.Models.V1LeaseSpec
            {
                // .5 s and a +02:00 offset: the two shapes the server refused or normalized (13/04, 13/06).
                RenewTime = new DateTimeOffset(2026, 11, 21, 1, 32, 50, 500, TimeSpan.FromHours(2)).UtcDateTime,
                AcquireTime = new DateTimeOffset(2026, 11, 20, 23, 32, 30, TimeSpan.Zero).UtcDateTime,
            },
        };

        var json = JsonNode.Parse(k8s.KubernetesJson.Serialize(lease, ConsoleOperator.Kube.Client.Entities.EntityJson.Options))!;

        Assert.Equal("2026-11-20T23:32:50.500000Z", (string?)json["spec"]!["renewTime"]);
        Assert.Equal("2026-11-20T23:32:30.000000Z", (string?)json["spec"]!["acquireTime"]);
    }

    [Fact]
    public void A_null_MicroTime_reads_as_null_and_an_unset_one_is_not_written()
    {
        var lease = JsonSerializer.Deserialize("""{"spec":{"renewTime":null,"holderIdentity":"a"}}""", EntityJson.TypeInfo<V1Lease>())!;

        Assert.Null(lease.Spec.RenewTime);
        Assert.Equal("""{"spec":{"holderIdentity":"a"}}""", JsonSerializer.Serialize(lease, EntityJson.TypeInfo<V1Lease>()));
    }

    [Fact]
    public void The_recorded_lease_create_body_round_trips_through_the_library_byte_for_byte_in_its_time_fields()
    {
        var exchange = FixtureLibrary.Get("13-lease/01-create-201");
        var sent = JsonNode.Parse(exchange.Request.Body!)!;

        var lease = k8s.KubernetesJson.Deserialize<k8s.Models.V1Lease>(System.Text.Encoding.UTF8.GetString(exchange.Request.Body!));
        var written = JsonNode.Parse(k8s.KubernetesJson.Serialize(lease, ConsoleOperator.Kube.Client.Entities.EntityJson.Options))!;

        Assert.Equal((string?)sent["spec"]!["renewTime"], (string?)written["spec"]!["renewTime"]);
        Assert.Equal((string?)sent["spec"]!["acquireTime"], (string?)written["spec"]!["acquireTime"]);
    }

    /// <summary>
    /// Pins the library behaviour EntityJson corrects: a whole second goes out without a fraction, which
    /// kube-apiserver refuses for a MicroTime. When this fails, the library fixed it and EntityJson can go.
    /// </summary>
    [Fact]
    public void The_library_alone_writes_a_whole_second_without_the_fraction_a_MicroTime_needs()
    {
        var spec = new k8s.Models.V1LeaseSpec { RenewTime = new DateTime(2026, 11, 20, 23, 32, 30, DateTimeKind.Utc) };

        var json = JsonNode.Parse(k8s.KubernetesJson.Serialize(spec))!;

        Assert.Equal("2026-11-20T23:32:30Z", (string?)json["renewTime"]);
    }

    [Fact]
    public void For_any_instant_MicroTime_matches_the_layout_the_server_parses()
    {
        var layout = new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$");
        Prop.ForAll(
                Gen.Choose(0, int.MaxValue).Select(seconds => seconds).ToArbitrary(),
                Gen.Choose(0, 9_999_999).ToArbitrary(),
                Gen.Choose(-14 * 60, 14 * 60).ToArbitrary(),
                (seconds, ticks, offsetMinutes) =>
                {
                    var instant = new DateTimeOffset(DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(ticks)).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
                    var spec = new V1LeaseSpec { RenewTime = instant.UtcDateTime };
                    var text = (string)JsonSerializer.SerializeToNode(spec, EntityJson.Options)!["renewTime"]!;
                    var back = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                    return layout.IsMatch(text) && (instant - back).Ticks is >= 0 and < 10;
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MicroTime_reads_what_the_server_returns_in_an_event()
    {
        var exchange = FixtureLibrary.Get("14-events/01-create-events-k8s-io-v1-201");

        var created = JsonSerializer.Deserialize(exchange.Response.Body!, EntityJson.TypeInfo<Eventsv1Event>())!;

        Assert.Equal(new DateTime(2026, 11, 20, 23, 33, 0, DateTimeKind.Utc).AddTicks(1_234_560), created.EventTime);
        // Nullable timestamps must deserialize (14: deprecatedFirstTimestamp: null).
        Assert.Null(created.DeprecatedFirstTimestamp);
    }

    [Fact]
    public void A_metav1_Time_is_written_in_utc_as_the_library_writes_it()
    {
        var condition = new V1Condition
        {
            Type = "Ready",
            Status = "True",
            LastTransitionTime = new DateTimeOffset(2026, 11, 21, 1, 33, 0, 987, TimeSpan.FromHours(2)).UtcDateTime,
        };

        var json = JsonSerializer.SerializeToNode(condition, EntityJson.TypeInfo<V1Condition>())!;

        Assert.Equal("2026-11-20T23:33:00.987000Z", (string?)json["lastTransitionTime"]);
    }
}
