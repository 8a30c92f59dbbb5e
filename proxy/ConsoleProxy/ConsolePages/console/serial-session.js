// One serial console session: the WebSocket to the proxy carrying the VM's serial port byte for
// byte (no protocol on top, unlike VNC), an xterm.js terminal showing what arrives and sending
// what is typed, and the state the page shows. The close code and reason the proxy sends say why
// a session ended, in the same words as the VNC pages (close-reasons.js).

import { describeClose } from './close-reasons.js';

// Offered for websockify compatibility; the proxy echoes it.
const subprotocols = ['binary'];

export class SerialSession extends EventTarget {
    #terminal;
    #settings;
    #socket = null;
    #state = 'idle';
    #status = '';
    #encoder = new TextEncoder();

    constructor(terminal, settings) {
        super();
        this.#terminal = terminal;
        this.#settings = settings;
        // Typed keys and pasted text arrive here as UTF-8 text; mouse reports in X10 mode as binary strings.
        terminal.onData((data) => this.send(this.#encoder.encode(data)));
        terminal.onBinary((data) => this.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    }

    get state() { return this.#state; }

    get status() { return this.#status; }

    // What the status names while connected (status.js puts it in the window title).
    get desktopName() { return 'Serial console'; }

    connect() {
        if (['connecting', 'connected'].includes(this.#state)) {
            return;
        }

        const settings = this.#settings;
        this.#change('connecting', 'Connecting...');
        let socket;
        try {
            socket = new WebSocket(settings.url, subprotocols);
        } catch (error) {
            this.#change('failed', `Failed to connect. ${error.message}`);
            return;
        }
        socket.binaryType = 'arraybuffer';
        let opened = false;
        socket.addEventListener('open', () => {
            opened = true;
            const security = settings.encrypted ? 'encrypted' : 'unencrypted';
            this.#change('connected', `Connected (${security}) to the serial console`);
            this.#terminal.focus();
        });
        socket.addEventListener('message', (event) => {
            // The proxy sends binary frames; a text frame (nothing sends one today) is shown as it is.
            this.#terminal.write(typeof event.data === 'string' ? event.data : new Uint8Array(event.data));
        });
        socket.addEventListener('close', (event) => {
            if (this.#socket === socket) {
                this.#socket = null;
            }
            // No handshake follows the upgrade: an open socket is a connected console.
            const why = describeClose(event, { opened, connected: opened });
            this.#change(opened ? 'disconnected' : 'failed', `${opened ? 'Disconnected' : 'Failed to connect'}. ${why}`);
        });
        this.#socket = socket;
    }

    send(bytes) {
        if (this.#socket?.readyState === WebSocket.OPEN && bytes.length > 0) {
            this.#socket.send(bytes);
        }
    }

    #change(state, status) {
        this.#state = state;
        this.#status = status;
        this.dispatchEvent(new CustomEvent('statechange', { detail: { state, status } }));
    }
}
