namespace TestKit.Browser;

/// <summary>
/// Records how a page's WebSockets closed (the code the browser saw, 1006 included), installed before the page's own
/// scripts load (<see cref="Chromium.OpenAsync"/> with <c>recordCloses</c>), read by <see cref="NoVncPage.WaitForCloseAsync"/>.
/// </summary>
public static class WebSocketCloses
{
    /// <summary>The array the closes are pushed to, in order.</summary>
    public const string Array = "window.__consoleCloses";

    // A function returning the native socket, not a subclass: noVNC checks the socket's own prototype.
    public const string RecorderScript = """
        (() => {
            const Native = window.WebSocket;
            window.__consoleCloses = [];
            function Recording(...args) {
                const socket = new Native(...args);
                socket.addEventListener('close', e => window.__consoleCloses.push({ code: e.code, reason: e.reason }));
                return socket;
            }
            Recording.prototype = Native.prototype;
            for (const name of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) {
                Object.defineProperty(Recording, name, { value: Native[name] });
            }
            window.WebSocket = Recording;
        })();
        """;
}
