using System.Globalization;
using System.Net;
using KestrelWebSocketFloor;

// `KestrelWebSocketFloor PORT`: serves ws://127.0.0.1:PORT/websockify?port=TARGET_PORT, relaying to 127.0.0.1:TARGET_PORT.
// consoleproxy's socket settings: completions inline on the epoll thread (the runtime reads the switch once, at the
// first socket, so it is set first), and Kestrel's scheduling to match.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (args.Length != 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
{
    await Console.Error.WriteLineAsync("usage: KestrelWebSocketFloor PORT (the loopback port to listen on)");
    return 2;
}

Environment.SetEnvironmentVariable(InlineCompletions, Environment.GetEnvironmentVariable(InlineCompletions) ?? "1");
var builder = WebApplication.CreateSlimBuilder();

// No logger: Kestrel then creates no Activity and no log scope per request, which it does whenever a logger listens.
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = Environment.GetEnvironmentVariable(InlineCompletions) == "1");
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port);
});

await using var app = builder.Build();
app.UseWebSockets();
app.Map("/websockify", FloorRelay.RunAsync);
await app.RunAsync();
return 0;
