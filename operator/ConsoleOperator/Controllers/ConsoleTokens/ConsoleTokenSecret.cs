using System.Globalization;
using System.Text;
using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Builders.Metadata;
using ConsoleOperator.Kube.Runtime.Apply;
using k8s.Models;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// The Secret `&lt;name&gt;-console` that carries a ConsoleToken's raw token, access URL and expiry, controlled by the
/// ConsoleToken (garbage-collected with it). It is written once, before the hash goes to Redis, and never changed
/// (immutable): after a crash the controller finds the token here instead of minting a second one. It carries the
/// controller's finalizer too, so it cannot vanish before the token in it was revoked: not when someone deletes it,
/// and not when a foreground deletion of the ConsoleToken removes its dependents first.
/// </summary>
public static class ConsoleTokenSecret
{
    public const string TokenKey = "token";
    public const string UrlKey = "url";
    public const string ExpiresAtKey = "expiresAt";
    public const string ComponentValue = "console-token";

    /// <summary>Selects the Secrets of ConsoleTokens: what the controller's Secret informer watches (and nothing else).</summary>
    public const string LabelSelector = ObjectLabels.ManagedBy + "=" + ObjectLabels.ManagedByValue + "," + ObjectLabels.ComponentLabel + "=" + ComponentValue;

    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    public static string NameFor(ConsoleTokenResource token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return (token.Metadata.Name ?? throw new ArgumentException("the ConsoleToken has no name", nameof(token))) + "-console";
    }

    public static V1Secret Build(ConsoleTokenResource token, MintedToken minted, string finalizer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(finalizer);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(minted);
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = NameFor(token),
                NamespaceProperty = token.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [ObjectLabels.Name] = "consoleproxy",
                    [ObjectLabels.Instance] = token.Spec.ProxyRef.Name,
                    [ObjectLabels.ComponentLabel] = ComponentValue,
                    [ObjectLabels.ManagedBy] = ObjectLabels.ManagedByValue,
                    [ObjectLabels.PartOf] = ObjectLabels.PartOfValue,
                },
                Finalizers = [finalizer],
            },
            Type = "Opaque",
            Immutable = true,
            Data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [TokenKey] = Encode(minted.Token),
                [UrlKey] = Encode(minted.Url),
                [ExpiresAtKey] = Encode(minted.ExpiresAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)),
            },
        };
        OwnerReferences.SetController(secret, token);
        return secret;
    }

    /// <summary>The token in the Secret; null with the reason when it is damaged (edited or written by someone else).</summary>
    public static MintedToken? Read(V1Secret secret, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        var token = Decode(data, TokenKey);
        var url = Decode(data, UrlKey);
        var expiresAt = Decode(data, ExpiresAtKey);
        if (token is null || url is null || expiresAt is null)
        {
            problem = $"Secret {secret.Metadata.Name} lacks one of the keys {TokenKey}, {UrlKey}, {ExpiresAtKey}";
            return null;
        }

        if (!DateTimeOffset.TryParseExact(expiresAt, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry))
        {
            problem = $"Secret {secret.Metadata.Name} has an unreadable {ExpiresAtKey}";
            return null;
        }

        try
        {
            problem = null;
            return MintedToken.Of(token, url, expiry);
        }
        catch (ArgumentException exception)
        {
            problem = $"Secret {secret.Metadata.Name}: {exception.Message}";
            return null;
        }
    }

    private static byte[] Encode(string value) => Encoding.UTF8.GetBytes(value);

    private static string? Decode(IDictionary<string, byte[]> data, string key)
    {
        if (!data.TryGetValue(key, out var bytes) || bytes is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
