namespace ConsoleProxy.Screenshots;

/// <summary>Why a console's screen could not be read; the message is safe to show (no token).</summary>
public sealed class ScreenCaptureException : Exception
{
    public ScreenCaptureException()
    {
    }

    public ScreenCaptureException(string message)
        : base(message)
    {
    }

    public ScreenCaptureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
