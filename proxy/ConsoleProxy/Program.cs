using System.CommandLine;

// `consoleproxy`: the proxy issue adds `serve` (the default verb) and `token`.
var root = new RootCommand("ConsoleProxy: the noVNC web client and a token-authorized WebSocket-to-VNC relay.");
return await root.Parse(args).InvokeAsync();
