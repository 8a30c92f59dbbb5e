using System.Security.Cryptography;

namespace ConsoleOperator.Builders.TokenStore;

/// <summary>
/// The managed Redis's password as the Secret builder gets it: the one already in the cluster (kept, so a reconcile
/// never locks the running proxies out), a fresh one, or withheld (`render`, which must print no secret at all).
/// </summary>
public sealed record RedisPassword
{
    /// <summary>Bytes of entropy in a generated password: 256 bits, like the console tokens.</summary>
    public const int GeneratedBytes = 32;

    private RedisPassword(string? value) => Value = value;

    /// <summary>The password, or null when withheld.</summary>
    public string? Value { get; }

    public bool IsWithheld => Value is null;

    /// <summary>No password at all: the Secret is rendered without data, for review without a cluster.</summary>
    public static RedisPassword Withheld { get; } = new((string?)null);

    public static RedisPassword Existing(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return new RedisPassword(value);
    }

    /// <summary>A new password from the operating system's cryptographic RNG, as lower-case hex (safe in any config syntax).</summary>
    public static RedisPassword Generate() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(GeneratedBytes)));

    /// <summary>The existing password when there is one (a non-empty value), else a new one.</summary>
    public static RedisPassword KeepOrGenerate(string? existing) =>
        string.IsNullOrEmpty(existing) ? Generate() : Existing(existing);

    /// <summary>Never prints the password: records end up in logs and assertion messages.</summary>
    public override string ToString() => IsWithheld ? "RedisPassword(withheld)" : "RedisPassword(set)";
}
