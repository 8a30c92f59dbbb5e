using TestKit.Browser;
using ConsoleOperator.EndToEnd.Browser;

namespace ConsoleOperator.EndToEnd;

/// <summary>What the suite logs from the browser never carries a raw token (both URL shapes).</summary>
public sealed class RedactionTests
{
    [Theory]
    [InlineData("WebSocket connection to 'ws://a.e2e.test:6080/websockify?token=SYH0hg-_x9' failed", "WebSocket connection to 'ws://a.e2e.test:6080/websockify?token=<redacted>' failed")]
    [InlineData("http://a.e2e.test:6080/vnc_lite.html?path=websockify%3Ftoken%3DSYH0hg-_x9", "http://a.e2e.test:6080/vnc_lite.html?path=websockify%3Ftoken%3D<redacted>")]
    public void Tokens_in_browser_messages_are_redacted(string message, string expected) =>
        Assert.Equal(expected, BrowserLogRedaction.Redact(message));
}
