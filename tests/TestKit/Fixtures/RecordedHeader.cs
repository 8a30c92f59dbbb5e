namespace TestKit.Fixtures;

/// <summary>One header line exactly as recorded (name casing kept; repeated headers stay separate entries).</summary>
public sealed record RecordedHeader(string Name, string Value)
{
    public override string ToString() => $"{Name}: {Value}";
}
