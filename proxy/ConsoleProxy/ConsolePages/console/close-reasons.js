// What the user reads when a console session ends. The proxy closes the WebSocket with a code that
// says why (see the proxy's close codes). A WebSocket that never opened means the proxy refused the
// upgrade (it answers 403 or 503, which browsers do not expose to pages) or could not be reached.

const reasons = new Map([
    [1000, 'The console session ended.'],
    [1001, 'The console proxy is restarting. Reconnect to continue.'],
    [1011, 'The console proxy hit an internal error.'],
    [4001, 'Access to this console was revoked.'],
    [4002, 'The console link expired.'],
    [4003, 'The session was closed after a period of inactivity.'],
    [4004, 'The session reached its maximum duration.'],
    [4005, 'The virtual machine console cannot be reached.'],
    [4006, 'Someone else opened this console and took it over.'],
]);

// Where the proxy's reason text says more than the code (which address, what error).
const detailedCodes = new Set([1011, 4005, 4006]);

// closeEvent: the WebSocket's close event, or null when noVNC gave up before the socket closed.
// opened: whether the WebSocket upgrade succeeded; connected: whether the VNC session started.
export function describeClose(closeEvent, { opened, connected }) {
    if (!opened) {
        return 'The link is invalid, expired or already used, or the proxy is unreachable.';
    }
    if (closeEvent === null) {
        return connected ? 'The session ended.' : 'The VNC handshake with the virtual machine failed.';
    }
    const { code, reason } = closeEvent;
    const known = reasons.get(code);
    const detail = reason ? ` (${reason})` : '';
    if (known) {
        return detailedCodes.has(code) ? known + detail : known;
    }
    if (code === 1006) {
        return 'The connection to the console proxy was lost.';
    }
    return `The connection closed (code ${code})${detail}.`;
}
