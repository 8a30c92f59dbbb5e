using System.Security.Cryptography;

namespace ConsoleProxy.Tokens.Secrets;

/// <summary>
/// The keys that seal VNC passwords in token records: a file of base64 AES-256 keys, one per line (`#` comments).
/// The first seals; every one opens, so a key is rotated by putting a new one first and removing the old one once the
/// tokens it sealed have expired. The operator keeps one such Secret per ConsoleProxy, mounted into its pods only.
/// </summary>
public sealed class VncPasswordKeyring
{
    private readonly IReadOnlyList<VncPasswordKey> _keys;

    private VncPasswordKeyring(IReadOnlyList<VncPasswordKey> keys) => _keys = keys;

    public VncPasswordKey Current => _keys[0];

    /// <summary>Reads a keyring file; <see cref="FormatException"/> names the line that is not a 32-byte base64 key.</summary>
    public static VncPasswordKeyring Load(string path) => Parse(File.ReadAllLines(path), path);

    public static VncPasswordKeyring Parse(IEnumerable<string> lines, string source)
    {
        var keys = new List<VncPasswordKey>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            byte[] key;
            try
            {
                key = Convert.FromBase64String(line);
            }
            catch (FormatException)
            {
                throw new FormatException($"{source} line {number} is not base64 (a key is 32 random bytes, base64: `head -c 32 /dev/urandom | base64`)");
            }

            if (key.Length != 32)
            {
                throw new FormatException($"{source} line {number} holds {key.Length} bytes; a key is 32 (AES-256)");
            }

            keys.Add(new VncPasswordKey(key));
        }

        return keys.Count == 0 ? throw new FormatException($"{source} holds no key") : new VncPasswordKeyring(keys);
    }

    /// <summary>A new random key as a keyring line.</summary>
    public static string NewKeyLine() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public VncPasswordKey? Find(string id) => _keys.FirstOrDefault(key => key.Id == id);
}
