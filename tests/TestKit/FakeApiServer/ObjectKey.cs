namespace TestKit.FakeApiServer;

/// <summary>Where an object lives in the store: resource (group + plural, version-independent), namespace, name.</summary>
public readonly record struct ObjectKey(string Resource, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? $"{Resource}/{Name}" : $"{Resource}/{Namespace}/{Name}";
}
