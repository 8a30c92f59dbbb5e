// vnc_lite.html (and its old name vnc_auto.html): the console and a status bar, nothing else.
// Connects as soon as the page loads.

import { readSettings } from './settings.js';
import { ConsoleSession } from './session.js';
import { bindStatus, promptForCredentials } from './status.js';

const session = new ConsoleSession(document.getElementById('screen'), readSettings(window.location));
bindStatus(session, document.getElementById('status'));
session.addEventListener('credentialsrequired', (event) => promptForCredentials(session, event.detail.types));
const sendCtrlAltDel = document.getElementById('send-ctrl-alt-del');
session.addEventListener('statechange', (event) => {
    sendCtrlAltDel.disabled = event.detail.state !== 'connected';
});
sendCtrlAltDel.addEventListener('click', () => {
    session.rfb?.sendCtrlAltDel();
    session.rfb?.focus();
});
session.connect();
