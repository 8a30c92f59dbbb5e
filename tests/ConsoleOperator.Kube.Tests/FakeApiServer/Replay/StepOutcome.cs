namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>What the replay found for one recorded exchange.</summary>
public sealed record StepOutcome(string Dir, string Verdict, IReadOnlyList<string> Problems)
{
    public bool Failed => Problems.Count > 0;

    public override string ToString() =>
        Failed ? $"{Dir}: MISMATCH\n    " + string.Join("\n    ", Problems) : $"{Dir}: {Verdict}";
}
