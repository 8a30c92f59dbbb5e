namespace ConsoleProxy.Benchmarks.Targets;

/// <summary>What the stand-in VNC server does with each connection.</summary>
public enum TargetMode
{
    /// <summary>Writes 64 KiB chunks as fast as the connection takes them (server-to-client throughput).</summary>
    Source,

    /// <summary>Reads and counts everything (client-to-server throughput).</summary>
    Sink,

    /// <summary>Sends back what it reads (round trip).</summary>
    Echo,

    /// <summary>Sends an RFB version greeting, then waits (new sessions, idle sessions).</summary>
    Greeting,

    /// <summary>
    /// Hands each accepted connection to the live-console load generator (<see cref="LoopbackTarget.Accepted"/>),
    /// which sends it paced screen updates and reads its input events. Plain TCP only.
    /// </summary>
    Console,
}
