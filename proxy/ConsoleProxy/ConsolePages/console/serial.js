// serial.html: a terminal on the VM's serial port and a status bar. Connects as soon as the page
// loads. The terminal follows the window's size (the fit addon); a serial line has no way to tell
// the guest, so the bar shows the size for `stty cols C rows R`.

import { Terminal } from '../xterm/xterm.mjs';
import { FitAddon } from '../xterm/addon-fit.mjs';
import { readSettings } from './settings.js';
import { SerialSession } from './serial-session.js';
import { bindStatus } from './status.js';

const terminal = new Terminal({
    convertEol: false,
    cursorBlink: true,
    scrollback: 5000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace',
    // On macOS Option+click selects even where the guest asked for mouse reports.
    macOptionClickForcesSelection: true,
});
// Reachable from the browser's console, as noVNC's pages expose their RFB object: the scrollback (5,000 lines) is
// there to read or search when a boot message has long scrolled off the screen.
window.serialTerminal = terminal;
const fit = new FitAddon();
terminal.loadAddon(fit);
const container = document.getElementById('terminal');
terminal.open(container);

const size = document.getElementById('size');
terminal.onResize(({ cols, rows }) => { size.textContent = `${cols}\u00d7${rows}`; });
const refit = () => {
    // A hidden or zero-sized container has no size to fit to.
    if (container.clientWidth > 0 && container.clientHeight > 0) {
        fit.fit();
    }
};
new ResizeObserver(refit).observe(container);
refit();
size.textContent = `${terminal.cols}\u00d7${terminal.rows}`;

const session = new SerialSession(terminal, readSettings(window.location));
bindStatus(session, document.getElementById('status'));

// Copy: xterm's selection (the browser's own copy shortcut works on it too, as Ctrl+Shift+C does).
const copy = document.getElementById('copy');
const copySelection = async () => {
    const text = terminal.getSelection();
    if (text) {
        await navigator.clipboard.writeText(text);
    }
    terminal.focus();
};
copy.addEventListener('click', () => { copySelection().catch(() => {}); });

// Paste: the button reads the clipboard (the browser may ask first); Ctrl+Shift+V and the browser's
// paste go through xterm, which sends the text as typed input (bracketed if the guest asked for it).
const paste = document.getElementById('paste');
paste.addEventListener('click', async () => {
    try {
        terminal.paste(await navigator.clipboard.readText());
    } catch {
        // No clipboard permission: the keyboard shortcut still works.
    }
    terminal.focus();
});
terminal.attachCustomKeyEventHandler((event) => {
    if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && event.code === 'KeyC') {
        copySelection().catch(() => {});
        return false;
    }
    return true;
});
session.addEventListener('statechange', (event) => {
    paste.disabled = event.detail.state !== 'connected';
});

session.connect();
