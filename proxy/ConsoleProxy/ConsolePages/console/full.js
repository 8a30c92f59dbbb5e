// vnc.html: the console with a toolbar: connect/disconnect, Ctrl+Alt+Del, scaling, full screen,
// clipboard and, when the server offers it, power control. Connects on load unless the link says
// `autoconnect=false`.

import { readSettings } from './settings.js';
import { ConsoleSession } from './session.js';
import { bindStatus, promptForCredentials } from './status.js';

const element = (id) => document.getElementById(id);
const settings = readSettings(window.location);
const session = new ConsoleSession(element('screen'), settings);
bindStatus(session, element('status'));

session.addEventListener('credentialsrequired', (event) => promptForCredentials(session, event.detail.types));

session.addEventListener('statechange', (event) => {
    const live = event.detail.state === 'connected';
    element('connect').hidden = live || ['connecting', 'disconnecting'].includes(event.detail.state);
    element('disconnect').hidden = !live;
    for (const control of document.querySelectorAll('[data-needs-session]')) {
        control.disabled = !live;
    }
    if (!live) {
        element('power-action').hidden = true;
    }
});

session.addEventListener('capabilities', (event) => {
    element('power-action').hidden = settings.viewOnly || !event.detail.capabilities.power;
});

session.addEventListener('clipboard', (event) => {
    element('clipboard-text').value = event.detail.text;
});

element('connect').addEventListener('click', () => session.connect());
element('disconnect').addEventListener('click', () => session.disconnect());
element('send-ctrl-alt-del').addEventListener('click', () => {
    session.rfb?.sendCtrlAltDel();
    session.rfb?.focus();
});

const resizeMode = element('resize-mode');
resizeMode.value = settings.resizeMode;
resizeMode.addEventListener('change', () => session.setResizeMode(resizeMode.value));

element('fullscreen').addEventListener('click', () => {
    if (document.fullscreenElement) {
        document.exitFullscreen();
    } else {
        document.documentElement.requestFullscreen();
    }
});

element('clipboard-toggle').addEventListener('click', (event) => {
    const panel = element('clipboard');
    panel.hidden = !panel.hidden;
    event.currentTarget.setAttribute('aria-expanded', String(!panel.hidden));
});

element('clipboard-send').addEventListener('click', () => {
    session.rfb?.clipboardPasteFrom(element('clipboard-text').value);
});

const powerActions = {
    shutdown: (rfb) => rfb.machineShutdown(),
    reboot: (rfb) => rfb.machineReboot(),
    reset: (rfb) => rfb.machineReset(),
};
element('power-action').addEventListener('change', (event) => {
    const action = powerActions[event.target.value];
    event.target.value = '';
    if (action && session.rfb && window.confirm('Send this power request to the virtual machine?')) {
        action(session.rfb);
    }
});

if (settings.viewOnly) {
    for (const control of document.querySelectorAll('[data-sends-input]')) {
        control.hidden = true;
    }
}

if (settings.autoconnect) {
    session.connect();
}
