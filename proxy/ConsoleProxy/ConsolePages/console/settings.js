// Reads the connection settings from the page address, with the parameter names of noVNC's own
// pages (host, port, path, encrypt, password, view_only, scale, resize, ...), so that the links
// nova and websockify users already have keep working:
//   vnc_lite.html?path=websockify%3Ftoken%3D<token>   (nova, noVNC >= 1.0)
//   vnc_auto.html?path=%3Ftoken%3D<token>             (older nova)
// Values may also come after '#', which browsers never send to a server: a password there stays
// out of access logs.

function readParameters(location) {
    const parameters = new URLSearchParams(location.search);
    const fragment = location.hash.startsWith('#') ? location.hash.slice(1) : location.hash;
    for (const [name, value] of new URLSearchParams(fragment)) {
        parameters.set(name, value);
    }
    return parameters;
}

function readBoolean(parameters, name, fallback) {
    const value = parameters.get(name);
    if (value === null || value === '') {
        return fallback;
    }
    return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

// 'off' keeps the remote size, 'scale' scales it locally to the window, 'remote' asks the server
// to resize its desktop. `scale=true` is the older lite page's spelling of 'scale'.
function readResizeMode(parameters) {
    const resize = parameters.get('resize');
    if (resize === 'off' || resize === 'scale' || resize === 'remote') {
        return resize;
    }
    return readBoolean(parameters, 'scale', false) ? 'scale' : 'off';
}

// The WebSocket address: the page's own host and port unless overridden, the scheme following
// the page (wss behind https) unless `encrypt` says otherwise, and `path` appended as given, so
// that it may carry its own query (`websockify?token=...` or `?token=...`).
export function webSocketUrl(location, parameters) {
    const encrypt = readBoolean(parameters, 'encrypt', location.protocol === 'https:');
    const host = parameters.get('host') || location.hostname;
    const port = parameters.get('port') || location.port;
    const path = (parameters.get('path') ?? 'websockify').replace(/^\//, '');
    const authority = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    return `${encrypt ? 'wss' : 'ws'}://${authority}${port ? ':' + port : ''}/${path}`;
}

export function readSettings(location) {
    const parameters = readParameters(location);
    const url = webSocketUrl(location, parameters);
    return {
        url,
        encrypted: url.startsWith('wss:'),
        password: parameters.get('password') ?? undefined,
        viewOnly: readBoolean(parameters, 'view_only', false),
        resizeMode: readResizeMode(parameters),
        shared: readBoolean(parameters, 'shared', true),
        showDot: readBoolean(parameters, 'show_dot', false),
        autoconnect: readBoolean(parameters, 'autoconnect', true),
        qualityLevel: readLevel(parameters, 'quality', 6),
        compressionLevel: readLevel(parameters, 'compression', 2),
    };
}

function readLevel(parameters, name, fallback) {
    const level = Number.parseInt(parameters.get(name) ?? '', 10);
    return Number.isInteger(level) && level >= 0 && level <= 9 ? level : fallback;
}
