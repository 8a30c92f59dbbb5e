namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>
/// Kubernetes' MicroTime keeps microseconds (acquireTime and renewTime of a Lease). Truncating
/// before writing keeps a record read back equal to the one written, so re-reading our own write
/// is not mistaken for a change by someone else. The wire format is the client's concern.
/// </summary>
public static class MicroTime
{
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }
}
