using System.Security.Cryptography;

namespace ConsoleProxy.Tokens.Secrets;

/// <summary>One AES-256 key of a <see cref="VncPasswordKeyring"/>, known in sealed values by a short id (not secret).</summary>
public sealed class VncPasswordKey
{
    public VncPasswordKey(byte[] material)
    {
        ArgumentNullException.ThrowIfNull(material);
        Material = material;
        Id = Convert.ToHexStringLower(SHA256.HashData(material).AsSpan(0, 4));
    }

    public string Id { get; }

    internal byte[] Material { get; }
}
