using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Secrets;

public sealed class VncPasswordSealTests
{
    private static readonly TokenHash Hash = TokenHash.Of(AccessToken.Mint());

    [Fact]
    public void A_sealed_password_opens_with_its_keyring_and_holds_no_trace_of_the_password()
    {
        var keyring = Keyring(1);

        var sealedValue = VncPasswordSeal.Seal("hunter22", Hash, keyring.Current);

        Assert.StartsWith($"v1.{keyring.Current.Id}.", sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", sealedValue, StringComparison.Ordinal);
        Assert.True(VncPasswordSeal.TryOpen(sealedValue, Hash, keyring, out var password, out _));
        Assert.Equal("hunter22", password);
        Assert.NotEqual(sealedValue, VncPasswordSeal.Seal("hunter22", Hash, keyring.Current));
    }

    [Fact]
    public void A_sealed_password_copied_to_another_tokens_record_does_not_open()
    {
        var keyring = Keyring(1);
        var sealedValue = VncPasswordSeal.Seal("hunter22", Hash, keyring.Current);

        Assert.False(VncPasswordSeal.TryOpen(sealedValue, TokenHash.Of(AccessToken.Mint()), keyring, out _, out var error));
        Assert.Equal("the token's sealed VNC password does not open (altered, or sealed for another token)", error);
    }

    [Fact]
    public void Rotation_a_new_key_first_seals_and_the_old_one_still_opens_until_it_is_removed()
    {
        var oldKey = VncPasswordKeyring.NewKeyLine();
        var newKey = VncPasswordKeyring.NewKeyLine();
        var before = VncPasswordKeyring.Parse([oldKey], "keys");
        var during = VncPasswordKeyring.Parse(["# rotated", newKey, oldKey], "keys");
        var after = VncPasswordKeyring.Parse([newKey], "keys");
        var sealedBefore = VncPasswordSeal.Seal("pw", Hash, before.Current);

        Assert.True(VncPasswordSeal.TryOpen(sealedBefore, Hash, during, out _, out _));
        Assert.Equal(after.Current.Id, during.Current.Id);
        Assert.False(VncPasswordSeal.TryOpen(sealedBefore, Hash, after, out _, out var error));
        Assert.Equal($"the token's VNC password was sealed with key {before.Current.Id}, which --vnc-password-key does not hold", error);
    }

    [Theory]
    [InlineData("v1.abcd")]
    [InlineData("v2.00000000.AAAA")]
    [InlineData("v1.00000000.!!!")]
    public void Malformed_values_are_refused_with_a_reason(string sealedValue)
    {
        Assert.False(VncPasswordSeal.TryOpen(sealedValue, Hash, Keyring(1), out _, out var error));
        Assert.Equal("the token's sealed VNC password is malformed", error);
    }

    [Theory]
    [InlineData("not base64 at all", "keys line 1 is not base64")]
    [InlineData("AAAA", "keys line 1 holds 3 bytes; a key is 32 (AES-256)")]
    [InlineData("# only a comment", "keys holds no key")]
    public void A_keyring_that_is_not_one_says_which_line(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => VncPasswordKeyring.Parse([line], "keys"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_record_keeps_the_sealed_password_in_its_own_field_and_records_without_one_are_unchanged()
    {
        var target = new ConsoleTarget("10.0.0.5", 5901);
        var withPassword = new TokenRecord(target, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000), SealedVncPassword: "v1.0a0b0c0d.xyz");
        var without = withPassword with { SealedVncPassword = null };

        var fields = TokenKeySchema.ToFields(withPassword).ToDictionary(f => f.Key, f => f.Value);

        Assert.Equal("v1.0a0b0c0d.xyz", fields[TokenRecordFields.VncPassword]);
        Assert.DoesNotContain(TokenKeySchema.ToFields(without), f => f.Key == TokenRecordFields.VncPassword);
        Assert.True(TokenKeySchema.TryReadFields(fields, out var read, out _));
        Assert.Equal(withPassword, read);
    }

    private static VncPasswordKeyring Keyring(int keys) =>
        VncPasswordKeyring.Parse(Enumerable.Range(0, keys).Select(_ => VncPasswordKeyring.NewKeyLine()), "keys");
}
