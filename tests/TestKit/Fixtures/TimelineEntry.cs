namespace TestKit.Fixtures;

/// <summary>
/// One line of a <c>stream.timeline</c> file: when a watch line arrived, relative to the start of the
/// request and as the recorder's UTC wall clock. <see cref="Line"/> is <c>#START</c>/<c>#EOF</c> for the markers.
/// </summary>
public sealed record TimelineEntry(double Seconds, string Clock, string Line)
{
    public bool IsStart => Line == "#START";

    public bool IsEnd => Line == "#EOF";
}
