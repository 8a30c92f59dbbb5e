using System.Security.Cryptography;
using System.Text;

namespace ConsoleProxy.Tokens.Minting;

/// <summary>
/// The SHA-256 of a raw token, as 64 lowercase hex characters: the only form of a token that is
/// stored, logged or published. A distinct type so a raw token can never be passed where a hash
/// belongs.
/// </summary>
public readonly record struct TokenHash
{
    private TokenHash(string hex) => Hex = hex;

    public string Hex { get; }

    public static TokenHash Of(string rawToken)
    {
        ArgumentNullException.ThrowIfNull(rawToken);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetByteCount(rawToken);
        var utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(rawToken, utf8);
        SHA256.HashData(utf8, digest);
        return new TokenHash(Convert.ToHexStringLower(digest));
    }

    /// <summary>Accepts a hash read back from Redis or a revocation message; null when it is not 64 hex characters.</summary>
    public static TokenHash? FromHex(string? hex)
    {
        if (hex is null || hex.Length != 64)
        {
            return null;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return new TokenHash(hex);
    }

    /// <summary>A short prefix for log lines: enough to correlate, useless to an attacker.</summary>
    public string ShortForm => Hex[..12];

    public override string ToString() => Hex;
}
