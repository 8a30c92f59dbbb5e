namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>
/// The lease changed since it was read (HTTP 409 Conflict, or AlreadyExists on create): another
/// elector wrote first. Not an error: the elector re-reads and judges again.
/// </summary>
public sealed class LeaseConflictException : Exception
{
    public LeaseConflictException()
        : this("The lease was modified concurrently.")
    {
    }

    public LeaseConflictException(string message)
        : base(message)
    {
    }

    public LeaseConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
