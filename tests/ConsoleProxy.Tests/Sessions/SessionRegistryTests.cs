using ConsoleProxy.Authorization;
using System.Net;
using ConsoleProxy.Sessions;
using ConsoleProxy.Tests.Support;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tests.Sessions;

public sealed class SessionRegistryTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Slots_are_refused_beyond_the_maximum_and_given_back_on_release()
    {
        var registry = new SessionRegistry(2, _clock);

        Assert.Null(registry.TryReserve());
        Assert.Null(registry.TryReserve());
        Assert.Equal(AuthorizationFailure.Capacity, registry.TryReserve());
        registry.Release();
        Assert.Null(registry.TryReserve());
    }

    [Fact]
    public void Zero_means_no_limit()
    {
        var registry = new SessionRegistry(0, _clock);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Null(registry.TryReserve());
        }
    }

    [Fact]
    public void A_draining_registry_refuses_every_new_slot()
    {
        var registry = new SessionRegistry(0, _clock);

        registry.BeginDrain();

        Assert.Equal(AuthorizationFailure.Draining, registry.TryReserve());
    }

    [Fact]
    public async Task Revocation_ends_only_the_sessions_of_that_token()
    {
        var registry = new SessionRegistry(0, _clock);
        var revoked = Session(registry, "revoked-token-xxxxxxxxxx");
        var other = Session(registry, "other-token-xxxxxxxxxxxx");
        registry.Add(revoked);
        registry.Add(other);

        Assert.Equal(1, registry.Revoke(revoked.TokenHash));

        Assert.Equal(SessionCloseReason.Revoked, await revoked.Terminated);
        Assert.False(other.Terminated.IsCompleted);
    }

    [Fact]
    public async Task A_session_registering_just_after_its_token_was_revoked_is_ended_at_once()
    {
        var registry = new SessionRegistry(0, _clock);
        var late = Session(registry, "late-token-xxxxxxxxxxxxx");

        registry.Revoke(late.TokenHash);
        registry.Add(late);

        Assert.Equal(SessionCloseReason.Revoked, await late.Terminated);
    }

    [Fact]
    public void Revocations_are_forgotten_after_a_minute()
    {
        var registry = new SessionRegistry(0, _clock);
        var hash = TokenHash.Of("old-token-xxxxxxxxxxxxxxx");
        registry.Revoke(hash);

        _clock.Advance(TimeSpan.FromMinutes(2));
        registry.Revoke(TokenHash.Of("new-token-xxxxxxxxxxxxxxx"));
        var session = Session(registry, "old-token-xxxxxxxxxxxxxxx");
        registry.Add(session);

        Assert.False(session.Terminated.IsCompleted);
    }

    [Fact]
    public async Task The_first_termination_reason_wins()
    {
        var registry = new SessionRegistry(0, _clock);
        var session = Session(registry, "some-token-xxxxxxxxxxxxx");

        Assert.True(session.Terminate(SessionCloseReason.Idle));
        Assert.False(session.Terminate(SessionCloseReason.Revoked));

        Assert.Equal(SessionCloseReason.Idle, await session.Terminated);
    }

    private ConsoleSession Session(SessionRegistry registry, string token) => new(
        registry.NextId(),
        TokenHash.Of(token),
        new TokenRecord(new ConsoleTarget("127.0.0.1", 5900), _clock.GetUtcNow().AddMinutes(10), TokenFlags.None),
        new IPEndPoint(IPAddress.Loopback, 5900),
        "127.0.0.1",
        _clock);
}
