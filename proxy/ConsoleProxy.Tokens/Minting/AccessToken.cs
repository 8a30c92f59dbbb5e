using System.Security.Cryptography;

namespace ConsoleProxy.Tokens.Minting;

/// <summary>
/// Mints console access tokens: 32 bytes from the OS's cryptographic RNG (256 bits, more than a
/// UUID4's 122), base64url without padding so the token survives URLs and cookies unescaped.
/// </summary>
public static class AccessToken
{
    public const int ByteLength = 32;

    /// <summary>Length of a minted token in characters (43).</summary>
    public const int TextLength = 43;

    public static string Mint()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.Encode(bytes);
    }
}
