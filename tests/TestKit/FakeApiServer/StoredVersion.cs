namespace TestKit.FakeApiServer;

/// <summary>
/// One revision of one key, as etcd keeps it: the serialized object, or null for the tombstone of a delete.
/// Kept as text so snapshots are immutable and safe to share between concurrent readers.
/// </summary>
public sealed record StoredVersion(long ResourceVersion, string? Json);
