using TestKit.Time;
using ConsoleProxy.TargetSecurity;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Secrets;

namespace ConsoleProxy.Tests.TargetSecurity;

/// <summary>Key rotation in running pods: the mounted keyring file changes, the proxy uses the new one within a second.</summary>
public sealed class ReloadingVncPasswordKeyringTests : IDisposable
{
    private static readonly TokenHash Hash = TokenHash.Of("rotation-test-token");

    private readonly string _directory = Directory.CreateTempSubdirectory("vnc-keyring-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_key_added_in_front_seals_from_the_next_check_and_passwords_sealed_before_still_open()
    {
        var path = Path.Combine(_directory, "keyring");
        var first = VncPasswordKeyring.NewKeyLine();
        File.WriteAllText(path, first + "\n");
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var keyring = new ReloadingVncPasswordKeyring(path, clock);
        var sealedBefore = VncPasswordSeal.Seal("before-rotation", Hash, keyring.Current.Current);
        var firstId = keyring.Current.Current.Id;

        var second = VncPasswordKeyring.NewKeyLine();
        File.WriteAllText(path, second + "\n" + first + "\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        var beforeCheck = keyring.Current.Current.Id;
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterCheck = keyring.Current;

        Assert.Equal(firstId, beforeCheck);
        Assert.NotEqual(firstId, afterCheck.Current.Id);
        Assert.True(VncPasswordSeal.TryOpen(sealedBefore, Hash, afterCheck, out var opened, out var error), error);
        Assert.Equal("before-rotation", opened);
    }

    [Fact]
    public void A_keyring_rewritten_unreadable_keeps_the_one_in_use_and_one_never_readable_is_a_security_error()
    {
        var path = Path.Combine(_directory, "keyring");
        File.WriteAllText(path, VncPasswordKeyring.NewKeyLine() + "\n");
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var keyring = new ReloadingVncPasswordKeyring(path, clock);
        var id = keyring.Current.Current.Id;

        File.WriteAllText(path, "not base64 at all\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(id, keyring.Current.Current.Id);
        var broken = new ReloadingVncPasswordKeyring(path, clock);
        var refused = Assert.Throws<TargetSecurityException>(() => broken.Current);
        Assert.Contains("--vnc-password-key", refused.Message, StringComparison.Ordinal);
    }
}
