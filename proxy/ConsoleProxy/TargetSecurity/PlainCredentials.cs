using System.Buffers.Binary;
using System.Text;

namespace ConsoleProxy.TargetSecurity;

/// <summary>
/// VeNCrypt's Plain authentication (X509Plain, inside the verified TLS session): the user name's and the password's
/// lengths as 32-bit big-endian integers, then both in UTF-8. The server's SecurityResult says whether they were right.
/// </summary>
public static class PlainCredentials
{
    public static byte[] Encode(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        var user = Encoding.UTF8.GetBytes(username);
        var secret = Encoding.UTF8.GetBytes(password);
        var message = new byte[8 + user.Length + secret.Length];
        BinaryPrimitives.WriteUInt32BigEndian(message, (uint)user.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)secret.Length);
        user.CopyTo(message, 8);
        secret.CopyTo(message, 8 + user.Length);
        return message;
    }
}
