namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>Another (or this) candidate was seen holding the lease for the first time.</summary>
public sealed class LeaderObservedEventArgs(string identity, bool isThisCandidate) : EventArgs
{
    public string Identity { get; } = identity;

    public bool IsThisCandidate { get; } = isThisCandidate;
}
