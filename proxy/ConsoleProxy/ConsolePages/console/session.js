// One console session: the WebSocket to the proxy, noVNC's RFB client on top of it, and the state
// the page shows. The page opens the WebSocket itself (rather than letting RFB do it) so that it
// sees the close code and reason the proxy sends, and can tell the user why a session ended.

import RFB from '../core/rfb.js';
import { describeClose } from './close-reasons.js';

// Offered for websockify compatibility; the proxy echoes it.
const subprotocols = ['binary'];

export class ConsoleSession extends EventTarget {
    #screen;
    #settings;
    #rfb = null;
    #desktopName = '';
    #state = 'idle';
    #status = '';
    #securityFailure = '';

    constructor(screen, settings) {
        super();
        this.#screen = screen;
        this.#settings = settings;
    }

    // 'idle', 'connecting', 'connected', 'disconnecting', 'disconnected' or 'failed'.
    get state() { return this.#state; }

    get status() { return this.#status; }

    get rfb() { return this.#rfb; }

    // The name the VNC server gives its desktop (QEMU: "QEMU (<vm name>)"); empty until known.
    get desktopName() { return this.#desktopName; }

    connect() {
        if (['connecting', 'connected', 'disconnecting'].includes(this.#state)) {
            return;
        }

        const settings = this.#settings;
        let closeEvent = null;
        let opened = false;
        let connected = false;
        this.#securityFailure = '';
        this.#change('connecting', 'Connecting...');

        let socket;
        try {
            socket = new WebSocket(settings.url, subprotocols);
        } catch (error) {
            this.#change('failed', `Failed to connect. ${error.message}`);
            return;
        }
        socket.addEventListener('open', () => { opened = true; });
        socket.addEventListener('close', (event) => { closeEvent = event; });

        const credentials = settings.password === undefined ? {} : { password: settings.password };
        const rfb = new RFB(this.#screen, socket, { shared: settings.shared, credentials });
        rfb.viewOnly = settings.viewOnly;
        rfb.showDotCursor = settings.showDot;
        rfb.qualityLevel = settings.qualityLevel;
        rfb.compressionLevel = settings.compressionLevel;
        this.#applyResizeMode(rfb, settings.resizeMode);

        rfb.addEventListener('connect', () => {
            connected = true;
            const security = settings.encrypted ? 'encrypted' : 'unencrypted';
            this.#change('connected', `Connected (${security}) to: ${this.#desktopName || settings.url.split('?')[0]}`);
        });
        rfb.addEventListener('disconnect', (event) => {
            if (this.#rfb === rfb) {
                this.#rfb = null;
            }
            if (this.#state === 'disconnecting' && event.detail.clean) {
                this.#change('disconnected', 'Disconnected.');
                return;
            }
            const why = this.#securityFailure || describeClose(closeEvent, { opened, connected });
            if (connected) {
                this.#change('disconnected', `Disconnected. ${why}`);
            } else {
                this.#change('failed', `Failed to connect. ${why}`);
            }
        });
        rfb.addEventListener('desktopname', (event) => {
            this.#desktopName = event.detail.name;
        });
        rfb.addEventListener('securityfailure', (event) => {
            this.#securityFailure = event.detail.reason
                ? `The VNC server refused the credentials: ${event.detail.reason}`
                : 'The VNC server refused the credentials.';
        });
        rfb.addEventListener('credentialsrequired', (event) => {
            this.dispatchEvent(new CustomEvent('credentialsrequired', { detail: event.detail }));
        });
        for (const name of ['clipboard', 'capabilities', 'bell']) {
            rfb.addEventListener(name, (event) => {
                this.dispatchEvent(new CustomEvent(name, { detail: event.detail }));
            });
        }
        this.#rfb = rfb;
    }

    disconnect() {
        if (this.#rfb) {
            this.#change('disconnecting', 'Disconnecting...');
            this.#rfb.disconnect();
        }
    }

    setResizeMode(mode) {
        this.#settings = { ...this.#settings, resizeMode: mode };
        if (this.#rfb) {
            this.#applyResizeMode(this.#rfb, mode);
        }
    }

    #applyResizeMode(rfb, mode) {
        rfb.scaleViewport = mode === 'scale';
        rfb.resizeSession = mode === 'remote';
        rfb.clipViewport = false;
    }

    #change(state, status) {
        this.#state = state;
        this.#status = status;
        this.dispatchEvent(new CustomEvent('statechange', { detail: { state, status } }));
    }
}
