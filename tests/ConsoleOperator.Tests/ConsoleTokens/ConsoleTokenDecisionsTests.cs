using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Controllers.ConsoleTokens;
using ConsoleOperator.Kube.Runtime.Conditions;
using k8s.Models;
using static ConsoleOperator.Tests.ConsoleTokens.TokenWorlds;

namespace ConsoleOperator.Tests.ConsoleTokens;

/// <summary>The ConsoleToken lifecycle's decisions, without any I/O: given what a reconcile saw and the time, the next step.</summary>
public sealed class ConsoleTokenDecisionsTests
{
    [Fact]
    public void A_new_token_with_a_valid_verdict_is_minted_with_that_verdict()
    {
        var token = Token();
        var verdict = TokenValidation.Valid(Proxy(), TimeSpan.FromMinutes(5), "allowed");

        var step = ConsoleTokenDecisions.Next(new ConsoleTokenWorld(token, Proxy(), null, null, null, verdict), Now);

        Assert.Same(verdict, Assert.IsType<ConsoleTokenStep.Mint>(step).Verdict);
    }

    [Fact]
    public void A_new_token_the_validator_refused_is_marked_invalid_with_that_verdict()
    {
        var verdict = TokenValidation.Invalid(ConsoleTokenReasons.ProxyNotFound, "ConsoleProxy consoles/edge does not exist");

        var step = ConsoleTokenDecisions.Next(new ConsoleTokenWorld(Token(), null, null, null, null, verdict), Now);

        Assert.Same(verdict, Assert.IsType<ConsoleTokenStep.MarkInvalid>(step).Verdict);
    }

    [Fact]
    public void A_token_to_mint_without_a_verdict_is_a_loading_bug_said_plainly()
    {
        var exception = Assert.Throws<ArgumentException>(() => ConsoleTokenDecisions.Next(new ConsoleTokenWorld(Token(), Proxy(), null, null, null, null), Now));

        Assert.Contains("consoles/vm-1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_active_token_whose_secret_is_gone_is_revoked_and_never_minted_again()
    {
        var step = ConsoleTokenDecisions.Next(new ConsoleTokenWorld(Token(ConsoleTokenPhase.Active), Proxy(), null, null, null, null), Now);

        var end = Assert.IsType<ConsoleTokenStep.End>(step);
        Assert.Equal((ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDeleted, (MintedToken?)null), (end.Phase, end.Reason, end.Minted));
        Assert.Contains("vm-1-console", end.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minted_token_before_its_expiry_is_activated_for_its_proxy()
    {
        var minted = Minted();
        var proxy = Proxy();

        var step = ConsoleTokenDecisions.Next(Minted(Token(ConsoleTokenPhase.Active), minted, proxy), Now.AddMinutes(9));

        var activate = Assert.IsType<ConsoleTokenStep.Activate>(step);
        Assert.Same(minted, activate.Minted);
        Assert.Same(proxy, activate.Proxy);
    }

    [Fact]
    public void A_minted_token_expires_at_its_expiry_to_the_second()
    {
        var minted = Minted(TimeSpan.FromMinutes(10));

        var before = ConsoleTokenDecisions.Next(Minted(Token(ConsoleTokenPhase.Active), minted, Proxy()), minted.ExpiresAt.AddTicks(-1));
        var at = ConsoleTokenDecisions.Next(Minted(Token(ConsoleTokenPhase.Active), minted, Proxy()), minted.ExpiresAt);

        Assert.IsType<ConsoleTokenStep.Activate>(before);
        var end = Assert.IsType<ConsoleTokenStep.End>(at);
        Assert.Equal((ConsoleTokenPhase.Expired, ConsoleTokenReasons.Expired), (end.Phase, end.Reason));
        Assert.Same(minted, end.Minted);
    }

    [Fact]
    public void A_minted_token_whose_proxy_is_gone_is_revoked_with_its_token_so_it_can_still_be_revoked()
    {
        var minted = Minted();

        var end = Assert.IsType<ConsoleTokenStep.End>(ConsoleTokenDecisions.Next(Minted(Token(ConsoleTokenPhase.Active), minted, proxy: null), Now));

        Assert.Equal((ConsoleTokenPhase.Revoked, ConsoleTokenReasons.ProxyDeleted), (end.Phase, end.Reason));
        Assert.Same(minted, end.Minted);
    }

    [Fact]
    public void An_expired_token_whose_proxy_is_gone_too_counts_as_expired()
    {
        var minted = Minted();

        var end = Assert.IsType<ConsoleTokenStep.End>(ConsoleTokenDecisions.Next(Minted(Token(ConsoleTokenPhase.Active), minted, proxy: null), minted.ExpiresAt));

        Assert.Equal(ConsoleTokenPhase.Expired, end.Phase);
    }

    [Fact]
    public void A_token_whose_secret_is_being_deleted_is_revoked_even_before_its_expiry()
    {
        var minted = Minted();

        var end = Assert.IsType<ConsoleTokenStep.End>(ConsoleTokenDecisions.Next(Minted(Token(ConsoleTokenPhase.Active), minted, Proxy(), secretTerminating: true), Now));

        Assert.Equal((ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDeleted), (end.Phase, end.Reason));
        Assert.Same(minted, end.Minted);
    }

    [Fact]
    public void A_damaged_secret_revokes_the_token_with_the_problem_as_message()
    {
        var token = Token(ConsoleTokenPhase.Active);
        var world = new ConsoleTokenWorld(token, Proxy(), SecretOf(token, Minted()), null, "Secret vm-1-console lacks one of the keys token, url, expiresAt", null);

        var end = Assert.IsType<ConsoleTokenStep.End>(ConsoleTokenDecisions.Next(world, Now));

        Assert.Equal((ConsoleTokenPhase.Revoked, ConsoleTokenReasons.SecretDamaged, "Secret vm-1-console lacks one of the keys token, url, expiresAt"), (end.Phase, end.Reason, end.Message));
        Assert.Null(end.Minted);
    }

    [Fact]
    public void A_secret_of_the_same_name_owned_by_another_object_is_waited_for_and_never_read()
    {
        var token = Token();
        var previous = Token(name: "vm-1") with { Metadata = new V1ObjectMeta { Name = "vm-1", NamespaceProperty = "consoles", Uid = "an-earlier-vm-1" } };
        var minted = Minted();
        var world = new ConsoleTokenWorld(token, Proxy(), SecretOf(previous, minted), minted, null, null);

        var wait = Assert.IsType<ConsoleTokenStep.WaitForSecret>(ConsoleTokenDecisions.Next(world, Now));

        Assert.Contains("vm-1-console", wait.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConsoleTokenPhase.Expired)]
    [InlineData(ConsoleTokenPhase.Revoked)]
    public void An_ended_token_is_collected_whatever_else_the_world_holds(ConsoleTokenPhase phase)
    {
        var token = Token(phase);

        Assert.IsType<ConsoleTokenStep.Collect>(ConsoleTokenDecisions.Next(new ConsoleTokenWorld(token, null, null, null, null, null), Now));
        Assert.IsType<ConsoleTokenStep.Collect>(ConsoleTokenDecisions.Next(Minted(token, Minted(), Proxy()), Now));
    }

    [Fact]
    public void An_expired_token_is_deleted_ttlSecondsAfterExpiry_after_its_expiry()
    {
        var token = Token(ConsoleTokenPhase.Expired, ttlSecondsAfterExpiry: 120);
        token.Status = token.Status! with { ExpiresAt = Now.AddMinutes(-1) };

        var collect = Assert.IsType<ConsoleTokenStep.Collect>(ConsoleTokenDecisions.Next(new ConsoleTokenWorld(token, null, null, null, null, null), Now));

        Assert.Equal(Now.AddMinutes(1), collect.DeleteAt);
    }

    [Fact]
    public void A_revoked_token_is_deleted_ttlSecondsAfterExpiry_after_it_was_revoked_not_after_its_expiry()
    {
        var token = Token(ConsoleTokenPhase.Revoked, ttlSecondsAfterExpiry: 60);
        token.Status = token.Status! with
        {
            ExpiresAt = Now.AddHours(1),
            Conditions = [Ready(token, ConditionStatus.False, ConsoleTokenReasons.ProxyDeleted, since: Now.AddSeconds(-50))],
        };

        Assert.Equal(Now.AddSeconds(10), ConsoleTokenDecisions.CollectAt(token, Now));
    }

    [Fact]
    public void An_ended_token_that_says_nowhere_when_it_ended_is_deleted_ttlSecondsAfterExpiry_from_now()
    {
        Assert.Equal(Now.AddSeconds(30), ConsoleTokenDecisions.CollectAt(Token(ConsoleTokenPhase.Revoked, ttlSecondsAfterExpiry: 30), Now));
    }

    [Theory]
    [InlineData(null, false, true)]
    [InlineData(ConsoleTokenPhase.Pending, false, true)]
    [InlineData(ConsoleTokenPhase.Invalid, false, true)]
    [InlineData(ConsoleTokenPhase.Pending, true, false)]
    [InlineData(ConsoleTokenPhase.Active, false, false)]
    [InlineData(ConsoleTokenPhase.Expired, false, false)]
    [InlineData(ConsoleTokenPhase.Revoked, false, false)]
    public void Only_a_token_never_minted_needs_the_validators_verdict(ConsoleTokenPhase? phase, bool hasSecret, bool needs) =>
        Assert.Equal(needs, ConsoleTokenDecisions.NeedsVerdict(Token(phase), hasSecret));

    [Fact]
    public void The_secret_is_looked_up_on_the_server_once_the_status_names_it_or_the_token_ended()
    {
        var minted = Token(ConsoleTokenPhase.Active);
        minted.Status = minted.Status! with { SecretName = "vm-1-console" };

        Assert.False(ConsoleTokenDecisions.LooksUpSecretOnServer(Token()));
        Assert.False(ConsoleTokenDecisions.LooksUpSecretOnServer(Token(ConsoleTokenPhase.Invalid)));
        Assert.True(ConsoleTokenDecisions.LooksUpSecretOnServer(minted));
        Assert.True(ConsoleTokenDecisions.LooksUpSecretOnServer(Token(ConsoleTokenPhase.Revoked)));
    }
}
