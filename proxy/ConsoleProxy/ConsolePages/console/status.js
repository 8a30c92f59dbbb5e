// Mirrors a session's state onto the page: the status text, `data-console-state` on the root
// element (for styling and for anything that watches the page), and the window title, which
// names the VM while connected so a tab among many says which console it is.

const titles = {
    connecting: 'Connecting',
    disconnecting: 'Disconnecting',
    disconnected: 'Disconnected',
    failed: 'Failed to connect',
};

export function bindStatus(session, statusElement) {
    const show = ({ state, status }) => {
        statusElement.textContent = status;
        document.documentElement.dataset.consoleState = state;
        const subject = state === 'connected' ? session.desktopName : titles[state];
        document.title = subject ? `${subject} - Console` : 'Console';
    };
    session.addEventListener('statechange', (event) => show(event.detail));
    show({ state: session.state, status: session.status || 'Loading...' });
}

// The VNC server asked for credentials the link did not carry (a console behind a VNC password).
export function promptForCredentials(session, types) {
    const credentials = {};
    if (types.includes('username')) {
        credentials.username = window.prompt('Username:') ?? '';
    }
    if (types.includes('password')) {
        credentials.password = window.prompt('Password:') ?? '';
    }
    session.rfb?.sendCredentials(credentials);
}
