namespace TestKit.FakeApiServer;

/// <summary>A JSON patch <c>test</c> operation did not hold (kube-apiserver answers a generic 422).</summary>
public sealed class JsonPatchTestFailedException(string path) : Exception($"testing value {path} failed")
{
    public string Path { get; } = path;
}
