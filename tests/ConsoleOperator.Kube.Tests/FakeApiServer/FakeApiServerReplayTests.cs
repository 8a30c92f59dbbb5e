using TestKit.Fixtures;
using ConsoleOperator.Kube.Tests.FakeApiServer.Replay;
using Xunit.Abstractions;

namespace ConsoleOperator.Kube.Tests.FakeApiServer;

/// <summary>
/// Keeps the fake API server honest: the requests of the recorded kube-apiserver scenarios are replayed against it
/// and its answers compared with the recorded ones (see <see cref="ReplayPlans"/> for what is excluded and why).
/// </summary>
public sealed class FakeApiServerReplayTests(ITestOutputHelper output)
{
    public static TheoryData<string> ReplayedScenarios()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in ReplayPlans.Scenarios)
        {
            data.Add(scenario);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReplayedScenarios))]
    public async Task The_fake_answers_the_recorded_requests_like_the_real_server(string scenario)
    {
        await using var replayer = new ScenarioReplayer();

        await replayer.RunAsync(ReplayPlans.For(scenario));

        foreach (var outcome in replayer.Outcomes)
        {
            output.WriteLine(outcome.ToString());
        }

        var failed = replayer.Outcomes.Where(o => o.Failed).ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    [Fact]
    public void Every_step_of_a_replayed_scenario_is_replayed_or_excluded_with_a_reason()
    {
        var planned = ReplayPlans.Scenarios
            .SelectMany(ReplayPlans.For)
            .Select(action => action switch
            {
                ReplayAction.Send send => send.Dir,
                ReplayAction.OpenWatch open => open.Dir,
                _ => null,
            })
            .OfType<string>()
            .ToHashSet();

        var missing = ReplayPlans.Scenarios
            .SelectMany(FixtureLibrary.Scenario)
            .Select(e => e.Dir)
            .Where(dir => !planned.Contains(dir))
            .ToList();

        Assert.Empty(missing);
        Assert.All(ReplayPlans.Exceptions.Keys, dir => FixtureLibrary.Get(dir));
        Assert.All(ReplayPlans.Exceptions.Values, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Reason)));
    }

    [Fact]
    public void Scenarios_not_replayed_are_listed_with_a_reason()
    {
        var scenarios = FixtureLibrary.All.Select(e => e.Scenario).Distinct().ToList();
        var notReplayed = scenarios.Except(ReplayPlans.Scenarios).ToList();

        Assert.All(notReplayed, s => Assert.True(
            ReplayPlans.ExcludedScenarios.ContainsKey(s),
            $"scenario {s} is neither replayed nor listed with a reason"));
    }
}
