using ConsoleProxy.Sessions;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Relay;

/// <summary>
/// How a session ends, decided in one place from whichever of the relay's three waits finished first (as YARP's
/// forwarder decides from the first of its two copy loops to finish): the reason the session closes with and what
/// the browser is still owed.
/// </summary>
internal readonly record struct RelayEnding(SessionCloseReason Reason, ClientFarewell Farewell)
{
    /// <param name="terminated">The reason the session was terminated with, when that came first (revoked, expired, idle, drained, taken over).</param>
    /// <param name="towardsTarget">How the browser-to-server pump stopped, when it stopped first.</param>
    /// <param name="clientBroken">The browser's connection broke: nothing more can be sent to it.</param>
    /// <param name="violation">The protocol violation the connection already answered with a close frame, if any.</param>
    /// <remarks>Neither <paramref name="terminated"/> nor <paramref name="towardsTarget"/>: the server-to-browser pump stopped first.</remarks>
    public static RelayEnding Decide(SessionCloseReason? terminated, PumpEnd? towardsTarget, bool clientBroken, WebSocketProtocolException? violation) =>
        (terminated, towardsTarget) switch
        {
            ({ } reason, _) => new(reason, ClientFarewell.SendClose),
            (_, PumpEnd.SourceClosed) => new(SessionCloseReason.ClientClosed, ClientFarewell.AnswerClose),
            (_, PumpEnd.ProtocolViolation) when violation is not null =>
                new(SessionCloseReason.ProtocolViolation(violation.Status, violation.Message), ClientFarewell.AlreadyClosed),
            // The VNC server hung up or reset (or writing to it failed) while the browser is fine: tell it.
            _ when !clientBroken => new(SessionCloseReason.ConsoleClosed, ClientFarewell.SendClose),
            _ => new(SessionCloseReason.ClientLost, ClientFarewell.Abandon),
        };
}
