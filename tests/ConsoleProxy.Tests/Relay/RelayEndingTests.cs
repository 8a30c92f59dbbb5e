using System.Net.WebSockets;
using ConsoleProxy.Relay;
using ConsoleProxy.Sessions;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.Relay;

/// <summary>Every way a relay can end, decided by the one function the relay asks.</summary>
public sealed class RelayEndingTests
{
    [Fact]
    public void A_terminated_session_closes_with_its_own_reason_whatever_the_connection_looks_like()
    {
        var ending = RelayEnding.Decide(SessionCloseReason.Revoked, towardsTarget: null, clientBroken: true, violation: null);

        Assert.Equal(new RelayEnding(SessionCloseReason.Revoked, ClientFarewell.SendClose), ending);
    }

    [Fact]
    public void The_browser_closing_first_gets_its_close_answered()
    {
        var ending = RelayEnding.Decide(null, PumpEnd.SourceClosed, clientBroken: false, violation: null);

        Assert.Equal(new RelayEnding(SessionCloseReason.ClientClosed, ClientFarewell.AnswerClose), ending);
    }

    [Fact]
    public void A_protocol_violation_is_the_reason_and_its_close_frame_is_already_sent()
    {
        var violation = new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "unmasked frame");

        var ending = RelayEnding.Decide(null, PumpEnd.ProtocolViolation, clientBroken: true, violation);

        Assert.Equal(new RelayEnding(SessionCloseReason.ProtocolViolation(WebSocketCloseStatus.ProtocolError, "unmasked frame"), ClientFarewell.AlreadyClosed), ending);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(nameof(PumpEnd.Failed))]
    public void The_console_ending_while_the_browser_is_fine_is_console_closed(string? towardsTarget)
    {
        var ending = RelayEnding.Decide(null, Parse(towardsTarget), clientBroken: false, violation: null);

        Assert.Equal(new RelayEnding(SessionCloseReason.ConsoleClosed, ClientFarewell.SendClose), ending);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(nameof(PumpEnd.Failed))]
    [InlineData(nameof(PumpEnd.ProtocolViolation))]
    public void A_broken_browser_connection_is_client_lost_and_abandoned(string? towardsTarget)
    {
        var ending = RelayEnding.Decide(null, Parse(towardsTarget), clientBroken: true, violation: null);

        Assert.Equal(new RelayEnding(SessionCloseReason.ClientLost, ClientFarewell.Abandon), ending);
    }

    // PumpEnd is internal to the proxy; a public test method takes its name.
    private static PumpEnd? Parse(string? name) => name is null ? null : Enum.Parse<PumpEnd>(name);
}
