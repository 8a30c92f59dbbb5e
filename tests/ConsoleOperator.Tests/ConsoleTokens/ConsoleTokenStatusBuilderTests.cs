using TestKit.Time;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using TestKit.FakeApiServer;
using static ConsoleOperator.Tests.ConsoleTokens.TokenWorlds;

namespace ConsoleOperator.Tests.ConsoleTokens;

public sealed class ConsoleTokenStatusBuilderTests
{
    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public void An_active_token_shows_its_expiry_secret_and_page_but_never_the_token()
    {
        var token = Token();
        var minted = Minted();

        var status = ConsoleTokenStatusBuilder.Active(token, minted, _clock);

        Assert.Equal((ConsoleTokenPhase.Active, minted.ExpiresAt, "vm-1-console", "https://console.example.com/vnc_lite.html", 3L),
            (status.Phase, status.ExpiresAt, status.SecretName, status.Url, status.ObservedGeneration));
        Assert.DoesNotContain(minted.Token, status.Url!, StringComparison.Ordinal);
        var ready = Condition(status, ConsoleTokenConditions.Ready);
        Assert.Equal((ConditionStatus.True, ConsoleTokenReasons.Minted, 3L), (ready.Status, ready.Reason, ready.ObservedGeneration));
        var store = Condition(status, ConsoleTokenConditions.TokenStoreReachable);
        Assert.Equal((ConditionStatus.True, ConsoleTokenReasons.Connected), (store.Status, store.Reason));
    }

    [Fact]
    public void An_invalid_token_says_why_has_no_minted_fields_and_drops_the_store_condition()
    {
        var token = Token(ConsoleTokenPhase.Pending);
        token.Status = token.Status! with
        {
            Conditions = [new() { Type = ConsoleTokenConditions.TokenStoreReachable, Status = ConditionStatus.False, Reason = ConsoleTokenReasons.TokenStoreUnreachable, Message = "down" }],
        };

        var status = ConsoleTokenStatusBuilder.Invalid(token, TokenValidation.Invalid(ConsoleTokenReasons.TTLTooLong, "ttlSeconds 7201s exceeds the maximum"), _clock);

        Assert.Equal((ConsoleTokenPhase.Invalid, (DateTimeOffset?)null, (string?)null, (string?)null), (status.Phase, status.ExpiresAt, status.SecretName, status.Url));
        var ready = Assert.Single(status.Conditions!);
        Assert.Equal((ConsoleTokenConditions.Ready, ConditionStatus.False, ConsoleTokenReasons.TTLTooLong, "ttlSeconds 7201s exceeds the maximum"),
            (ready.Type, ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public void A_valid_verdict_is_refused_as_a_reason_for_invalid()
    {
        Assert.Throws<ArgumentException>(() => ConsoleTokenStatusBuilder.Invalid(Token(), TokenValidation.Valid(Proxy(), TimeSpan.FromMinutes(1), "allowed"), _clock));
    }

    [Theory]
    [InlineData(ConsoleTokenPhase.Expired, ConsoleTokenReasons.Consumed)]
    [InlineData(ConsoleTokenPhase.Revoked, ConsoleTokenReasons.ProxyDeleted)]
    public void An_ended_token_keeps_what_it_was_minted_with_and_is_not_ready(ConsoleTokenPhase phase, string reason)
    {
        var token = Token(ConsoleTokenPhase.Active);
        var minted = Minted();

        var status = ConsoleTokenStatusBuilder.Ended(token, phase, reason, "why", minted, _clock);

        Assert.Equal((phase, minted.ExpiresAt, "vm-1-console"), (status.Phase, status.ExpiresAt, status.SecretName));
        var ready = Assert.Single(status.Conditions!);
        Assert.Equal((ConditionStatus.False, reason, "why"), (ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public void A_token_ended_without_a_readable_secret_has_no_minted_fields()
    {
        var status = ConsoleTokenStatusBuilder.Ended(Token(ConsoleTokenPhase.Active), ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDamaged, "damaged", null, _clock);

        Assert.Equal(((DateTimeOffset?)null, (string?)null, (string?)null), (status.ExpiresAt, status.SecretName, status.Url));
    }

    [Theory]
    [InlineData(ConsoleTokenPhase.Active)]
    [InlineData(ConsoleTokenPhase.Pending)]
    [InlineData(ConsoleTokenPhase.Invalid)]
    public void Only_expired_or_revoked_is_an_end(ConsoleTokenPhase phase)
    {
        var exception = Assert.Throws<ArgumentException>(() => ConsoleTokenStatusBuilder.Ended(Token(), phase, "Any", "any", null, _clock));
        Assert.Contains(phase.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_store_keeps_an_active_token_active_with_its_fields_and_says_so_in_its_own_condition()
    {
        var minted = Minted();

        var status = ConsoleTokenStatusBuilder.StoreUnreachable(Token(ConsoleTokenPhase.Active), minted, "connection refused", _clock);

        Assert.Equal((ConsoleTokenPhase.Active, minted.ExpiresAt), (status.Phase, status.ExpiresAt));
        Assert.Equal(ConditionStatus.True, Condition(status, ConsoleTokenConditions.Ready).Status);
        var store = Condition(status, ConsoleTokenConditions.TokenStoreReachable);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.TokenStoreUnreachable, "connection refused"), (store.Status, store.Reason, store.Message));
    }

    [Fact]
    public void An_unreachable_store_leaves_a_token_being_minted_pending_without_minted_fields()
    {
        var status = ConsoleTokenStatusBuilder.StoreUnreachable(Token(), Minted(), "connection refused", _clock);

        Assert.Equal((ConsoleTokenPhase.Pending, (DateTimeOffset?)null, (string?)null), (status.Phase, status.ExpiresAt, status.SecretName));
        var ready = Condition(status, ConsoleTokenConditions.Ready);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.TokenStoreUnreachable), (ready.Status, ready.Reason));
    }

    [Fact]
    public void A_misconfigured_store_keeps_an_active_tokens_fields_as_they_are()
    {
        var token = Token(ConsoleTokenPhase.Active);
        token.Status = token.Status! with { ExpiresAt = Now.AddMinutes(3), SecretName = "vm-1-console", Url = "https://console.example.com/vnc_lite.html" };

        var status = ConsoleTokenStatusBuilder.StoreMisconfigured(token, "WRONGPASS", _clock);

        Assert.Equal((ConsoleTokenPhase.Active, Now.AddMinutes(3), "vm-1-console", "https://console.example.com/vnc_lite.html"),
            (status.Phase, status.ExpiresAt, status.SecretName, status.Url));
        var store = Condition(status, ConsoleTokenConditions.TokenStoreReachable);
        Assert.Equal((ConditionStatus.False, ConsoleTokenReasons.TokenStoreMisconfigured, "WRONGPASS"), (store.Status, store.Reason, store.Message));
    }

    [Fact]
    public void A_misconfigured_store_leaves_a_new_token_pending()
    {
        var status = ConsoleTokenStatusBuilder.StoreMisconfigured(Token(), "WRONGPASS", _clock);

        Assert.Equal(ConsoleTokenPhase.Pending, status.Phase);
        Assert.Equal(ConsoleTokenReasons.TokenStoreMisconfigured, Condition(status, ConsoleTokenConditions.Ready).Reason);
    }

    [Fact]
    public void A_secret_conflict_leaves_the_token_pending_and_says_whose_secret_is_in_the_way()
    {
        var status = ConsoleTokenStatusBuilder.SecretConflict(Token(), "Secret vm-1-console exists and is not this ConsoleToken's", _clock);

        Assert.Equal(ConsoleTokenPhase.Pending, status.Phase);
        var ready = Assert.Single(status.Conditions!);
        Assert.Equal((ConsoleTokenReasons.SecretConflict, "Secret vm-1-console exists and is not this ConsoleToken's"), (ready.Reason, ready.Message));
    }

    [Fact]
    public void A_condition_keeps_its_transition_time_while_its_status_holds_and_is_stamped_now_when_it_flips()
    {
        var token = Token(ConsoleTokenPhase.Active);
        var since = Now.AddHours(-1);
        token.Status = token.Status! with { Conditions = [Ready(token, ConditionStatus.True, ConsoleTokenReasons.Minted, since)] };

        var still = ConsoleTokenStatusBuilder.Active(token, Minted(), _clock);
        var ended = ConsoleTokenStatusBuilder.Ended(token, ConsoleTokenPhase.Expired, ConsoleTokenReasons.Expired, "expired", Minted(), _clock);

        Assert.Equal(since, (DateTimeOffset?)Condition(still, ConsoleTokenConditions.Ready).LastTransitionTime);
        Assert.Equal(Now, (DateTimeOffset?)Condition(ended, ConsoleTokenConditions.Ready).LastTransitionTime);
    }
}
