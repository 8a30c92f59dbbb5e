namespace ConsoleProxy.Tokens.Minting;

/// <summary>RFC 4648 section 5 encoding without padding.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
