using System.Security.Cryptography;
using System.Text;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// RFB's VNC authentication (security type 2, and inside VeNCrypt's X509Vnc): the 16-byte challenge encrypted with
/// DES in ECB mode under the password's first 8 bytes, each byte's bits reversed (RFC 6143 7.2.2 as every server
/// implements it). DES is what the protocol prescribes; the TLS around it (X509Vnc) is what makes it safe to send.
/// </summary>
public static class VncAuthentication
{
    public const int ChallengeLength = 16;

    public static byte[] Respond(ReadOnlySpan<byte> challenge, string password)
    {
        if (challenge.Length != ChallengeLength)
        {
            throw new ArgumentException($"a VNC challenge is {ChallengeLength} bytes", nameof(challenge));
        }

        var key = new byte[8];
        var bytes = Encoding.UTF8.GetBytes(password);
        for (var i = 0; i < Math.Min(8, bytes.Length); i++)
        {
            key[i] = ReverseBits(bytes[i]);
        }

        CryptographicOperations.ZeroMemory(bytes);
#pragma warning disable CA5351 // The RFB protocol's VNC authentication is DES by definition; nothing else answers it.
        using var des = DES.Create();
#pragma warning restore CA5351
        des.Key = key;
        CryptographicOperations.ZeroMemory(key);
        return des.EncryptEcb(challenge, PaddingMode.None);
    }

    private static byte ReverseBits(byte value)
    {
        var reversed = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            reversed = (reversed << 1) | ((value >> bit) & 1);
        }

        return (byte)reversed;
    }
}
