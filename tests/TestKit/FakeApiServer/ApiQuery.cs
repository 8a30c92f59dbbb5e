namespace TestKit.FakeApiServer;

/// <summary>The query parameters of a request (first value of each name wins, as in kube-apiserver).</summary>
public sealed class ApiQuery
{
    private readonly Dictionary<string, string> _values;

    public ApiQuery(IEnumerable<KeyValuePair<string, string>> values)
    {
        _values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            _values.TryAdd(key, value);
        }
    }

    public static ApiQuery Empty { get; } = new([]);

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public bool IsTrue(string name) => this[name] is "true" or "1" or "True";

    public bool IsDryRun => this["dryRun"] == "All";
}
