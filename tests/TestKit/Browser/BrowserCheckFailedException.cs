namespace TestKit.Browser;

/// <summary>A check on a page in Chromium failed; says where the screenshot of that moment is.</summary>
public sealed class BrowserCheckFailedException : Exception
{
    public BrowserCheckFailedException()
    {
    }

    public BrowserCheckFailedException(string message)
        : base(message)
    {
    }

    public BrowserCheckFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BrowserCheckFailedException(string check, string? screenshot, Exception failure)
        : base($"{check}: {failure.Message}\nscreenshot: {screenshot ?? "none (the page is gone)"}", failure)
    {
    }
}
