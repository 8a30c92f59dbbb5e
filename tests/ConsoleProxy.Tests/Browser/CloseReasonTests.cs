namespace ConsoleProxy.Tests.Browser;

/// <summary>
/// What the console pages tell the user when a session ends (console/close-reasons.js, run in
/// Chromium): each close code of the proxy has its own sentence, and a refused upgrade (which
/// browsers report as a bare 1006) reads as a bad or used link rather than a network error.
/// </summary>
[Collection(BrowserTestCollection.Name)]
public sealed class CloseReasonTests(ConsoleStack stack)
{
    [Theory]
    [InlineData(1000, "", true, "The console session ended.")]
    [InlineData(1001, "draining", true, "The console proxy is restarting. Reconnect to continue.")]
    [InlineData(4001, "token revoked", true, "Access to this console was revoked.")]
    [InlineData(4002, "token expired", true, "The console link expired.")]
    [InlineData(4003, "idle", true, "The session was closed after a period of inactivity.")]
    [InlineData(4004, "max duration", true, "The session reached its maximum duration.")]
    [InlineData(4005, "connect to 10.0.0.5:5901: connection refused", false,
        "The virtual machine console cannot be reached. (connect to 10.0.0.5:5901: connection refused)")]
    [InlineData(4006, "taken over by a newer session (the token admits 1 concurrent session (max_sessions), on-session-limit takeover)", true,
        "Someone else opened this console and took it over. (taken over by a newer session (the token admits 1 concurrent session (max_sessions), on-session-limit takeover))")]
    [InlineData(1006, "", true, "The connection to the console proxy was lost.")]
    [InlineData(4999, "something new", true, "The connection closed (code 4999) (something new).")]
    public async Task Each_close_code_of_the_proxy_reads_as_its_reason(int code, string reason, bool connected, string expected)
    {
        var text = await DescribeAsync(new { code, reason }, opened: true, connected);

        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task A_WebSocket_that_never_opened_reads_as_a_bad_link_or_an_unreachable_proxy()
    {
        var text = await DescribeAsync(new { code = 1006, reason = "" }, opened: false, connected: false);

        Assert.Equal("The link is invalid, expired or already used, or the proxy is unreachable.", text);
    }

    [Fact]
    public async Task A_handshake_that_noVNC_gave_up_on_reads_as_a_failed_VNC_handshake()
    {
        var text = await DescribeAsync(null, opened: true, connected: false);

        Assert.Equal("The VNC handshake with the virtual machine failed.", text);
    }

    private async Task<string?> DescribeAsync(object? closeEvent, bool opened, bool connected)
    {
        var result = await stack.EvaluateInProxyPageAsync(
            """
            async ({ closeEvent, opened, connected }) => {
                const { describeClose } = await import('/console/close-reasons.js');
                return describeClose(closeEvent, { opened, connected });
            }
            """,
            new { closeEvent, opened, connected });
        return result.GetString();
    }
}
