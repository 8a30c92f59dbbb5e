namespace ConsoleOperator.Kube.Tests.FakeApiServer.Replay;

/// <summary>
/// A one-to-one map between values the real server produced and values the fake produced (resourceVersions,
/// uids, generated names). A second, different pairing is a finding: e.g. the real server kept a resourceVersion
/// (no-op) where the fake wrote a new one.
/// </summary>
public sealed class Bijection(string what)
{
    private readonly Dictionary<string, string> _toFake = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _toRecorded = new(StringComparer.Ordinal);

    /// <summary>Pairs two values; returns a finding when either side was already paired differently.</summary>
    public string? Learn(string recorded, string fake)
    {
        if (_toFake.TryGetValue(recorded, out var knownFake) && knownFake != fake)
        {
            return $"{what}: recorded {recorded} was paired with fake {knownFake}, now the fake answered {fake}";
        }

        if (_toRecorded.TryGetValue(fake, out var knownRecorded) && knownRecorded != recorded)
        {
            return $"{what}: fake {fake} was paired with recorded {knownRecorded}, now the recording says {recorded}";
        }

        _toFake[recorded] = fake;
        _toRecorded[fake] = recorded;
        return null;
    }

    public string? ToFake(string recorded) => _toFake.TryGetValue(recorded, out var fake) ? fake : null;

    public string? ToRecorded(string fake) => _toRecorded.TryGetValue(fake, out var recorded) ? recorded : null;

    public IEnumerable<string> RecordedValues => _toFake.Keys;

    /// <summary>Replaces, in free text, every fake value that differs from its recorded pair (generated names in messages).</summary>
    public string RenameDifferent(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (fake, recorded) in _toRecorded.Where(p => p.Key != p.Value).OrderByDescending(p => p.Key.Length))
        {
            text = text.Replace(fake, recorded, StringComparison.Ordinal);
        }

        return text;
    }
}
