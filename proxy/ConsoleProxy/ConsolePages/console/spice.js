// spice.html: a SPICE console on spice-html5 and a status bar. Connects as soon as the page loads.
// spice-html5 reports errors but not the WebSocket's close code, so the page also listens on the
// main channel's socket: the proxy's close code and reason say why a session ended, in the same
// words as the VNC and serial pages (close-reasons.js).

import { SpiceMainConn, sendCtrlAltDel } from '../spice/src/main.js';
import { readSettings } from './settings.js';
import { describeClose } from './close-reasons.js';
import { bindStatus } from './status.js';

class SpiceSession extends EventTarget {
    #settings;
    #connection = null;
    #state = 'idle';
    #status = '';

    constructor(settings) {
        super();
        this.#settings = settings;
    }

    get state() { return this.#state; }

    get status() { return this.#status; }

    get desktopName() { return 'SPICE console'; }

    get connection() { return this.#connection; }

    connect() {
        const security = this.#settings.encrypted ? 'encrypted' : 'unencrypted';
        this.#change('connecting', 'Connecting...');
        let opened = false;
        let connected = false;
        try {
            this.#connection = new SpiceMainConn({
                uri: this.#settings.url,
                // The proxy reaches SPICE servers without a ticket, or the token's link carries the password.
                password: this.#settings.password ?? '',
                screen_id: 'spice-screen',
                onsuccess: () => {
                    connected = true;
                    this.#change('connected', `Connected (${security}) to the SPICE console`);
                },
                onerror: () => {
                    // The close listener below says why; an error with the socket still open is a protocol failure.
                    if (this.#connection?.ws?.readyState === WebSocket.OPEN) {
                        this.#change('failed', 'The SPICE handshake with the virtual machine failed.');
                    }
                },
            });
        } catch (error) {
            this.#change('failed', `Failed to connect. ${error.message}`);
            return;
        }
        const socket = this.#connection.ws;
        socket.addEventListener('open', () => { opened = true; });
        socket.addEventListener('close', (event) => {
            const why = describeClose(event, { opened, connected });
            this.#change(opened ? 'disconnected' : 'failed', `${opened ? 'Disconnected' : 'Failed to connect'}. ${why}`);
            this.#connection?.stop();
        });
    }

    #change(state, status) {
        this.#state = state;
        this.#status = status;
        this.dispatchEvent(new CustomEvent('statechange', { detail: { state, status } }));
    }
}

const session = new SpiceSession(readSettings(window.location));
bindStatus(session, document.getElementById('status'));

const ctrlAltDel = document.getElementById('ctrl-alt-del');
ctrlAltDel.addEventListener('click', () => {
    // spice-html5's sendCtrlAltDel reads the connection from the global `sc` (as its own page declares it).
    globalThis.sc = session.connection;
    sendCtrlAltDel();
});
session.addEventListener('statechange', (event) => {
    ctrlAltDel.disabled = event.detail.state !== 'connected';
});

session.connect();
