namespace ConsoleProxy.Tests.Browser;

/// <summary>The parts of `window.location` the console pages read, to try link shapes without a server for each.</summary>
public sealed record PageLocation(string Protocol, string Hostname, string Port, string Search, string Hash);
