using TestKit.Time;
using TestKit.FakeApiServer;
using TestKit.Fixtures;

namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>
/// Which recorded scenarios the fake must reproduce, what each needs from earlier scenarios, and the explicit
/// list of what is excluded or compared partially, each with its reason (so drift stays visible).
/// </summary>
public static class ReplayPlans
{
    private static readonly string[] Base = ["00-namespace/01-create-namespace", "02-crd-create/01-create-crd"];

    /// <summary>Exchanges not compared in full, with the reason. Everything else in a replayed scenario is compared in full.</summary>
    public static IReadOnlyDictionary<string, (StepMode Mode, string Reason)> Exceptions { get; } = new Dictionary<string, (StepMode, string)>
    {
        ["02-crd-create/01-create-crd"] = (StepMode.StatusCodeOnly, "CRD defaulting (conversion, printer column defaults) is not modeled; the fake registers the resource"),
        ["02-crd-create/02-get-crd-established"] = (StepMode.StatusCodeOnly, "CRD condition texts/defaulting are not modeled; Established is"),
        ["02-crd-create/03-discovery-example-dev-v1"] = (StepMode.Excluded, "discovery is not modeled"),
        ["02-crd-create/04-discovery-example-dev-group"] = (StepMode.Excluded, "discovery is not modeled"),
        ["05-validation/06-wrong-types-422"] = (StepMode.IgnoreMessage, "the real validator lists the two causes in Go map order (spec.target first); causes are compared regardless of order"),
        ["04-list-pagination/07-list-rv0-limit2-served-from-cache"] = (StepMode.IgnoreListResourceVersion, "the real watch cache lags behind etcd (RV 209 < 211); the fake has no lag"),
        ["11-watch/05-watch-rv0-synthetic-added"] = (StepMode.WatchTypesAndNames, "w5 carries 200 unrecorded churn patches made before this watch (12-watch-expired/03)"),
        ["11-watch/06-watch-no-rv-synthetic-added"] = (StepMode.WatchTypesAndNames, "w5 carries 200 unrecorded churn patches made before this watch (12-watch-expired/03)"),
        ["12-watch-expired/04-no-watch-cache-server/00-setup/02-create-crd"] = (StepMode.StatusCodeOnly, "CRD defaulting (conversion, printer column defaults) is not modeled"),
        ["12-watch-expired/04-no-watch-cache-server/05-watch-rv0-synthetic-added"] = (StepMode.WatchTypesAndNames, "w1 was touched by an unrecorded annotation patch (RV 197) first"),
        ["12-watch-expired/02-watch-rv204-compacted-in-etcd-but-in-watch-cache"] = (StepMode.Excluded, "replays 21 events of scenarios 05-11 including an unrecorded delete (unk1); replay-from-RV is covered by focused tests"),
        ["15-secrets/04-create-two-controller-owners-422"] = (StepMode.IgnoreMessage, "the real message prints Go pointer addresses"),
        ["15-secrets/07-merge-patch-invalid-base64-422"] = (StepMode.IgnoreMessage, "the real message embeds the Go-encoded Secret"),
        ["21-misc-http-errors/12-list-with-labelSelector-200"] = (StepMode.ListItemNames, "w5 carries 200 unrecorded churn patches (12-watch-expired/03) made before this list"),
        ["14-events/03-get-events-v1-object-via-core-v1"] = (StepMode.Excluded, "one stored Event served through both events.k8s.io/v1 and core/v1 is not modeled: the fake keeps them apart"),
        ["14-events/04-get-core-v1-object-via-events-v1"] = (StepMode.Excluded, "one stored Event served through both events.k8s.io/v1 and core/v1 is not modeled: the fake keeps them apart"),
        ["14-events/08-list-events-v1-fieldSelector-regarding"] = (StepMode.Excluded, "lists Events created through core/v1 too: cross-API storage is not modeled"),
        ["14-events/09-list-core-v1-fieldSelector-involvedObject"] = (StepMode.Excluded, "lists Events created through events.k8s.io/v1 too: cross-API storage is not modeled"),
        ["23-namespace-delete-terminating/08-objects-of-deleted-namespace-still-listable"] = (StepMode.ListItemNames, "the items carry the history of scenarios 06-22, replayed here only in part"),
        ["21-misc-http-errors/08-get-widget-as-yaml"] = (StepMode.Excluded, "the fake answers JSON only (YAML output is not modeled)"),
    };

    public static IReadOnlyList<string> Scenarios { get; } =
        ["00-namespace", "02-crd-create", "03-cr-crud", "04-list-pagination", "06-optimistic-concurrency", "07-status-subresource", "08-ssa-deployment",
         "10-finalizers", "11-watch", "12-watch-expired", "13-lease", "15-secrets", "18-delete-options", "21-misc-http-errors", "22-ssa-custom-resource",
         "05-validation", "09-ssa-service", "14-events", "20-typical-operator-outputs", "23-namespace-delete-terminating"];

    /// <summary>Scenarios not replayed at all, and why.</summary>
    public static IReadOnlyDictionary<string, string> ExcludedScenarios { get; } = new Dictionary<string, string>
    {
        ["01-discovery"] = "discovery (/version, /api, /apis, aggregated discovery) is not modeled",
        ["16-auth-errors"] = "authentication, RBAC and TokenRequest are not modeled",
        ["17-table-output"] = "server-side tables and PartialObjectMetadata are not modeled",
        ["19-openapi-v3"] = "OpenAPI documents are not served",
    };

    public static IReadOnlyList<ReplayAction> For(string scenario) => scenario switch
    {
        "00-namespace" => [.. Steps("00-namespace")],
        "02-crd-create" => [new ReplayAction.Setup(Base[0]), .. Steps("02-crd-create")],
        "03-cr-crud" => [.. SetupOf(Base), .. Steps("03-cr-crud")],
        "04-list-pagination" =>
        [
            .. SetupOf(Base), .. SetupOf(Dirs("03-cr-crud")),
            .. Steps("04-list-pagination", upTo: "03-list-limit2-page3-last"),

            // 04-08 were recorded after scenario 06 had updated w2 (RV 209), so 06 happens here.
            .. SetupOf(Dirs("06-optimistic-concurrency")),
            new ReplayAction.Compact("the recording waited ~22 s for the 15 s etcd compactor before 04"),
            .. Steps("04-list-pagination", from: "04-list-expired-continue-410"),
        ],
        "06-optimistic-concurrency" => [.. SetupOf(Base), .. SetupOf(Dirs("03-cr-crud")), .. SetupOf(Dirs("04-list-pagination").Where(d => d.Contains("00-setup", StringComparison.Ordinal))), .. Steps("06-optimistic-concurrency")],
        "07-status-subresource" => [.. SetupOf(Base), new ReplayAction.Setup("03-cr-crud/01-create-201"), .. Steps("07-status-subresource")],
        "08-ssa-deployment" => [.. SetupOf(Base), .. Steps("08-ssa-deployment")],
        "10-finalizers" => [.. SetupOf(Base), .. Steps("10-finalizers")],
        "11-watch" => WatchScenario(),
        "12-watch-expired" => WatchExpiredScenario(),
        "13-lease" => [.. SetupOf(Base), .. Steps("13-lease")],
        "15-secrets" => [.. SetupOf(Base), new ReplayAction.Setup("03-cr-crud/01-create-201"), .. Steps("15-secrets")],
        "18-delete-options" => [.. SetupOf(Base), .. SetupOf(Dirs("08-ssa-deployment")), .. Steps("18-delete-options")],
        "21-misc-http-errors" =>
        [
            .. SetupOf(Base), new ReplayAction.Setup("03-cr-crud/01-create-201"),
            .. SetupOf(Dirs("04-list-pagination").Where(d => d.Contains("00-setup", StringComparison.Ordinal))),
            .. SetupOf(Dirs("08-ssa-deployment")), .. Steps("21-misc-http-errors"),
        ],
        "22-ssa-custom-resource" => [.. SetupOf(Base), .. Steps("22-ssa-custom-resource")],
        "05-validation" => [.. SetupOf(Base), .. Steps("05-validation")],
        "09-ssa-service" => [.. SetupOf(Base), .. Steps("09-ssa-service")],
        "14-events" => [.. SetupOf(Base), new ReplayAction.Setup("03-cr-crud/01-create-201"), .. SetupOf(Dirs("08-ssa-deployment")), .. Steps("14-events")],
        "20-typical-operator-outputs" => [.. SetupOf(Base), new ReplayAction.Setup("03-cr-crud/01-create-201"), .. Steps("20-typical-operator-outputs")],
        "23-namespace-delete-terminating" =>
        [
            .. SetupOf(Base), new ReplayAction.Setup("03-cr-crud/01-create-201"),
            .. SetupOf(Dirs("04-list-pagination").Where(d => d.Contains("00-setup", StringComparison.Ordinal))),
            new ReplayAction.Setup("22-ssa-custom-resource/01-apply-create-201"), .. Steps("23-namespace-delete-terminating"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no replay plan"),
    };

    private static List<ReplayAction> WatchScenario()
    {
        const string S = "11-watch/";
        var earlier = new[] { "03-cr-crud", "06-optimistic-concurrency", "07-status-subresource", "10-finalizers" };
        var actions = new List<ReplayAction>();
        actions.AddRange(SetupOf(Base));
        actions.AddRange(SetupOf(Dirs("03-cr-crud")));
        actions.AddRange(SetupOf(Dirs("04-list-pagination").Where(d => d.Contains("00-setup", StringComparison.Ordinal))));
        actions.AddRange(SetupOf(earlier.Skip(1).SelectMany(Dirs)));
        actions.Add(new ReplayAction.Send(S + "00-list-for-resourceVersion"));

        // The three watches ran at once while the mutations happened (timeline in notes.md).
        actions.Add(new ReplayAction.OpenWatch(S + "01-watch-timeout30"));
        actions.Add(new ReplayAction.OpenWatch(S + "02-watch-timeout30-chunked-wire"));
        actions.Add(new ReplayAction.OpenWatch(S + "03-watch-timeout75-bookmarks"));
        actions.AddRange(Dirs("11-watch").Where(d => d.StartsWith(S + "mutations/", StringComparison.Ordinal)).Select(d => new ReplayAction.Send(d)));
        actions.Add(new ReplayAction.FinishWatches());
        actions.Add(new ReplayAction.Send(S + "04-watch-timeout30-quiet-no-events", Rv: ResourceVersionChoice.Fresh));
        actions.AddRange(Steps("11-watch", only: ["05-watch-rv0-synthetic-added", "06-watch-no-rv-synthetic-added", "07-watch-single-object-fieldSelector"]));

        // 08 came from another apiserver run (fresh etcd): namespace demo existed, nothing else.
        const string B = S + "08-builtin-types-bookmarks/";
        actions.Add(new ReplayAction.NewServer(ReplayServerOptions("default", "demo"), "11-watch/08 was recorded on another apiserver run"));
        actions.Add(new ReplayAction.Send(B + "00-list-configmaps"));
        actions.Add(new ReplayAction.Send(B + "00-list-deployments"));
        actions.Add(new ReplayAction.OpenWatch(B + "01-watch-deployments"));
        actions.Add(new ReplayAction.OpenWatch(B + "02-watch-configmaps"));
        actions.AddRange(Dirs("11-watch").Where(d => d.StartsWith(B + "mutations/", StringComparison.Ordinal)).Select(d => new ReplayAction.Send(d)));
        actions.Add(new ReplayAction.FinishWatches());
        return actions;
    }

    private static IReadOnlyList<ReplayAction> WatchExpiredScenario()
    {
        const string S = "12-watch-expired/";
        const string N = S + "04-no-watch-cache-server/";
        return
        [
            .. SetupOf(Base), new ReplayAction.Setup("03-cr-crud/01-create-201"),
            new ReplayAction.Send(S + "01-watch-rv1-too-old-inband-410"),
            Planned(S + "02-watch-rv204-compacted-in-etcd-but-in-watch-cache"),
            new ReplayAction.Compact("200 unrecorded patches evicted RV 236 from the watch cache before 03"),
            new ReplayAction.Send(S + "03-watch-rv236-evicted-from-watch-cache-inband-410", Rv: ResourceVersionChoice.Stale),
            new ReplayAction.NewServer(ReplayServerOptions(watchCache: false), "12/04 was recorded on an apiserver with --watch-cache=false"),
            new ReplayAction.Send(N + "00-setup/01-create-namespace"),
            Planned(N + "00-setup/02-create-crd"),
            new ReplayAction.Send(N + "00-setup/03-create-w1"),
            new ReplayAction.Send(N + "01-list-for-resourceVersion"),
            new ReplayAction.Send(N + "02-watch-fresh-rv-works"),
            new ReplayAction.Compact("the recording polled until etcd compaction passed RV 195"),
            new ReplayAction.Send(N + "03-watch-compacted-rv-inband-410"),
            new ReplayAction.Send(N + "04-watch-rv1-inband-410"),
            Planned(N + "05-watch-rv0-synthetic-added"),
        ];
    }

    public static FakeApiServerOptions ReplayServerOptions(params string[] namespaces) => ReplayServerOptions(watchCache: true, namespaces);

    public static FakeApiServerOptions ReplayServerOptions(bool watchCache, params string[] namespaces) =>
        ScenarioReplayer.DefaultOptions(new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 23, 35, 0, TimeSpan.Zero)), watchCache, namespaces.Length == 0 ? ["default"] : namespaces);

    private static IEnumerable<string> Dirs(string scenario) => FixtureLibrary.Scenario(scenario).Select(e => e.Dir);

    private static IEnumerable<ReplayAction> SetupOf(IEnumerable<string> dirs) => dirs.Select(d => new ReplayAction.Setup(d));

    private static ReplayAction.Send Planned(string dir) =>
        Exceptions.TryGetValue(dir, out var rule) ? new ReplayAction.Send(dir, rule.Mode, rule.Reason) : new ReplayAction.Send(dir);

    private static IEnumerable<ReplayAction> Steps(string scenario, string? from = null, string? upTo = null, string[]? only = null)
    {
        var inRange = from is null;
        foreach (var exchange in FixtureLibrary.Scenario(scenario))
        {
            var step = exchange.Dir[(scenario.Length + 1)..];
            inRange |= step == from;
            if (inRange && (only is null || only.Contains(step)))
            {
                yield return Planned(exchange.Dir);
            }

            if (step == upTo)
            {
                yield break;
            }
        }
    }
}
