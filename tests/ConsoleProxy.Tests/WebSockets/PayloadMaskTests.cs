using System.Buffers.Binary;
using ConsoleProxy.WebSockets.Protocol;

namespace ConsoleProxy.Tests.WebSockets;

public sealed class PayloadMaskTests
{
    [Fact]
    public void Unmasking_in_pieces_of_any_size_equals_the_byte_by_byte_definition()
    {
        var random = new Random(6455);
        for (var round = 0; round < 2_000; round++)
        {
            var key = new byte[4];
            random.NextBytes(key);
            var data = new byte[random.Next(0, 700)];
            random.NextBytes(data);
            var expected = data.Select((b, i) => (byte)(b ^ key[i % 4])).ToArray();

            var actual = new byte[data.Length];
            var offset = 0;
            var at = 0;
            while (at < data.Length)
            {
                var piece = Math.Min(random.Next(1, 130), data.Length - at);
                offset = PayloadMask.Apply(data.AsSpan(at, piece), actual.AsSpan(at), BinaryPrimitives.ReadUInt32LittleEndian(key), offset);
                at += piece;
            }

            Assert.Equal(expected, actual);
            Assert.Equal(data.Length % 4, offset);
        }
    }

    [Fact]
    public void Unmasking_in_place_works()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        byte[] key = [1, 2, 4, 8];
        var expected = data.Select((b, i) => (byte)(b ^ key[i % 4])).ToArray();

        PayloadMask.Apply(data, data, BinaryPrimitives.ReadUInt32LittleEndian(key), 0);

        Assert.Equal(expected, data);
    }

    [Fact]
    public void A_destination_shorter_than_the_source_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PayloadMask.Apply(new byte[10], new byte[9], 1, 0));
    }
}
