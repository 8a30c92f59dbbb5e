using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;
using ConsoleProxy.Tokens.Targets;

namespace ConsoleProxy.Tokens.Tests.Store;

public sealed class TokenKeySchemaTests
{
    private static readonly TokenRecord Sample = new(
        ConsoleTarget.Parse("[2001:db8::5]:5901"),
        DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123),
        TokenFlags.SingleUse,
        "tenant-a/console-1",
        "vm-42");

    [Fact]
    public void Keys_and_channel_live_under_the_prefix()
    {
        var schema = new TokenKeySchema("proxy-a:");
        var hash = TokenHash.Of("abc");

        Assert.Equal("proxy-a:token:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", schema.KeyFor(hash));
        Assert.Equal("proxy-a:revocations", schema.RevocationChannel);
        Assert.Equal(1, TokenKeySchema.Version);
    }

    [Fact]
    public void An_uninitialised_hash_has_no_key() =>
        Assert.Throws<ArgumentException>(() => new TokenKeySchema("p:").KeyFor(default));

    [Fact]
    public void Fields_are_the_documented_version_1_layout()
    {
        var fields = TokenKeySchema.ToFields(Sample).ToDictionary(field => field.Key, field => field.Value);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["v"] = "1",
                ["host"] = "2001:db8::5",
                ["port"] = "5901",
                ["owner"] = "tenant-a/console-1",
                ["instance"] = "vm-42",
                ["single_use"] = "1",
                ["view_only"] = "0",
                ["expires_at"] = "1800000000123",
            },
            fields);
    }

    [Fact]
    public void A_server_name_is_an_optional_field_that_reads_back_and_is_absent_without_one()
    {
        var named = Sample with { ServerName = "compute-7.example.net" };

        var fields = TokenKeySchema.ToFields(named).ToDictionary(field => field.Key, field => field.Value);

        Assert.Equal("compute-7.example.net", fields[TokenRecordFields.ServerName]);
        Assert.True(TokenKeySchema.TryReadFields(fields, out var record, out _));
        Assert.Equal(named, record);
        Assert.DoesNotContain(TokenKeySchema.ToFields(Sample), field => field.Key == TokenRecordFields.ServerName);
    }

    [Fact]
    public void A_VNC_username_is_an_optional_field_that_reads_back_and_is_absent_without_one()
    {
        var withUser = Sample with { VncUsername = "console-operator", SealedVncPassword = "v1.k.sealed" };

        var fields = TokenKeySchema.ToFields(withUser).ToDictionary(field => field.Key, field => field.Value);

        Assert.Equal("console-operator", fields["vnc_username"]);
        Assert.True(TokenKeySchema.TryReadFields(fields, out var record, out _));
        Assert.Equal(withUser, record);
        Assert.DoesNotContain(TokenKeySchema.ToFields(Sample), field => field.Key == TokenRecordFields.VncUsername);
    }

    [Fact]
    public void Fields_read_back_to_the_same_record()
    {
        var fields = TokenKeySchema.ToFields(Sample).ToDictionary(field => field.Key, field => field.Value);

        Assert.True(TokenKeySchema.TryReadFields(fields, out var record, out var reason));

        Assert.Null(reason);
        Assert.Equal(Sample, record);
    }

    [Theory]
    [InlineData("v", "2", "schema version '2'; this reader understands 1")]
    [InlineData("v", null, "no schema version")]
    [InlineData("host", null, "no valid host")]
    [InlineData("host", "bad host!", "no valid host")]
    [InlineData("port", "0", "no valid port")]
    [InlineData("port", "+5901", "no valid port")]
    [InlineData("expires_at", "-5", "no valid expires_at")]
    [InlineData("expires_at", null, "no valid expires_at")]
    [InlineData("view_only", "true", "other than 0 or 1")]
    public void A_record_that_does_not_fit_the_schema_is_refused_with_a_reason(string field, string? value, string reason)
    {
        var fields = TokenKeySchema.ToFields(Sample).ToDictionary(f => f.Key, f => f.Value);
        if (value is null)
        {
            fields.Remove(field);
        }
        else
        {
            fields[field] = value;
        }

        Assert.False(TokenKeySchema.TryReadFields(fields, out var record, out var error));

        Assert.Null(record);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_optional_fields_read_as_empty_and_off()
    {
        var fields = new Dictionary<string, string>
        {
            ["v"] = "1",
            ["host"] = "10.0.0.5",
            ["port"] = "5900",
            ["expires_at"] = "1800000000000",
        };

        Assert.True(TokenKeySchema.TryReadFields(fields, out var record, out _));

        Assert.Equal(TokenFlags.None, record.Flags);
        Assert.Equal(string.Empty, record.Owner);
        Assert.Equal(string.Empty, record.Instance);
    }
}
