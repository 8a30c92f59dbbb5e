using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using ConsoleProxy.Tokens.Minting;
using Base64UrlText = System.Buffers.Text.Base64Url;

namespace ConsoleProxy.Tokens.Secrets;

/// <summary>
/// A VM's VNC password as the token record holds it: AES-256-GCM under a <see cref="VncPasswordKeyring"/> key, bound
/// to the token's hash as associated data (a sealed value copied into another token's record does not open), written
/// `v1.&lt;key id&gt;.&lt;base64url(nonce | ciphertext | tag)&gt;`. Redis, its backups and anyone who reads them see
/// only this; the password is in clear only inside the proxy, for the moment it answers the VNC challenge.
/// </summary>
public static class VncPasswordSeal
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static string Seal(string password, TokenHash hash, VncPasswordKey key)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(key);
        var plain = Encoding.UTF8.GetBytes(password);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Material, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), AssociatedData(hash));
        CryptographicOperations.ZeroMemory(plain);
        return $"{Version}.{key.Id}.{Base64UrlText.EncodeToString(sealedBytes)}";
    }

    /// <summary>The password, or why it cannot be had (no such key, altered, sealed for another token): never the value.</summary>
    public static bool TryOpen(string sealedValue, TokenHash hash, VncPasswordKeyring keyring, [NotNullWhen(true)] out string? password, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        ArgumentNullException.ThrowIfNull(keyring);
        password = null;
        var parts = sealedValue.Split('.');
        var sealedBytes = parts.Length == 3 && Base64UrlText.IsValid(parts[2]) ? Base64UrlText.DecodeFromChars(parts[2]) : [];
        if (parts[0] != Version || sealedBytes.Length < NonceSize + TagSize)
        {
            error = "the token's sealed VNC password is malformed";
            return false;
        }

        if (keyring.Find(parts[1]) is not { } key)
        {
            error = $"the token's VNC password was sealed with key {parts[1]}, which --vnc-password-key does not hold";
            return false;
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Material, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plain, AssociatedData(hash));
        }
        catch (AuthenticationTagMismatchException)
        {
            error = "the token's sealed VNC password does not open (altered, or sealed for another token)";
            return false;
        }

        password = Encoding.UTF8.GetString(plain);
        CryptographicOperations.ZeroMemory(plain);
        error = null;
        return true;
    }

    private static byte[] AssociatedData(TokenHash hash) =>
        Encoding.ASCII.GetBytes(hash.Hex ?? throw new ArgumentException("the token hash is uninitialised", nameof(hash)));
}
