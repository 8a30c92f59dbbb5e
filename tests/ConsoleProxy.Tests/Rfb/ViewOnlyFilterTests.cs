using System.Text;
using ConsoleProxy.Rfb;

namespace ConsoleProxy.Tests.Rfb;

public sealed class ViewOnlyFilterTests
{
    private static readonly byte[] Version = Encoding.ASCII.GetBytes("RFB 003.008\n");
    private static readonly byte[] SetPixelFormat = [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
    private static readonly byte[] SetEncodings = [2, 0, 0, 2, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x21];
    private static readonly byte[] UpdateRequest = [3, 1, 0, 0, 0, 0, 4, 0, 3, 0];
    private static readonly byte[] KeyEvent = [4, 1, 0, 0, 0, 0, 0xFF, 0x0D];
    private static readonly byte[] PointerEvent = [5, 1, 0, 1, 0, 2];
    private static readonly byte[] CutText = [6, 0, 0, 0, 0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c'];
    private static readonly byte[] QemuKey = [255, 0, 0, 1, 0, 0, 0, 0x61, 0, 0, 0, 0x1E];
    private static readonly byte[] Fence = [248, 0, 0, 0, 0, 0, 0, 1, 2, 9, 9];
    private static readonly byte[] Xvp = [250, 0, 1, 4];

    [Fact]
    public void The_handshake_and_viewer_messages_pass_and_input_is_dropped()
    {
        byte[] stream = [.. Version, 1, 1, .. SetPixelFormat, .. KeyEvent, .. SetEncodings, .. PointerEvent, .. CutText, .. QemuKey, .. UpdateRequest, .. Xvp, .. Fence];

        var forwarded = FilterInChunks(stream, stream.Length);

        Assert.Equal([.. Version, 1, 1, .. SetPixelFormat, .. SetEncodings, .. UpdateRequest, .. Fence], forwarded);
    }

    [Fact]
    public void The_result_does_not_depend_on_how_the_stream_is_split_into_messages()
    {
        byte[] stream = [.. Version, 2, .. new byte[16], 0, .. KeyEvent, .. UpdateRequest, .. CutText, .. SetEncodings, .. PointerEvent];
        byte[] expected = [.. Version, 2, .. new byte[16], 0, .. UpdateRequest, .. SetEncodings];

        for (var chunk = 1; chunk <= stream.Length; chunk++)
        {
            Assert.Equal(expected, FilterInChunks(stream, chunk));
        }
    }

    [Fact]
    public void After_an_unknown_message_type_everything_is_dropped()
    {
        var filter = new ViewOnlyFilter();
        byte[] stream = [.. Version, 1, 1, .. UpdateRequest, 77, .. UpdateRequest];

        var forwarded = Filter(filter, stream);

        Assert.Equal([.. Version, 1, 1, .. UpdateRequest], forwarded);
        Assert.True(filter.LostTrack);
    }

    [Fact]
    public void An_RFB_3_3_client_is_not_followed_so_nothing_after_its_version_passes()
    {
        var filter = new ViewOnlyFilter();
        byte[] stream = [.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 1, .. KeyEvent];

        Assert.Equal(Encoding.ASCII.GetBytes("RFB 003.003\n"), Filter(filter, stream));
        Assert.True(filter.LostTrack);
    }

    [Fact]
    public void A_security_type_whose_exchange_is_not_parsed_stops_everything_after_the_choice()
    {
        var filter = new ViewOnlyFilter();
        byte[] stream = [.. Version, 19, 0, 2, .. KeyEvent];

        Assert.Equal([.. Version, 19], Filter(filter, stream));
    }

    private static byte[] FilterInChunks(byte[] stream, int chunk)
    {
        var filter = new ViewOnlyFilter();
        var output = new List<byte>();
        for (var offset = 0; offset < stream.Length; offset += chunk)
        {
            output.AddRange(Filter(filter, stream[offset..Math.Min(stream.Length, offset + chunk)]));
        }

        return [.. output];
    }

    private static byte[] Filter(ViewOnlyFilter filter, byte[] chunk)
    {
        var copy = chunk.ToArray();
        var count = filter.Filter(copy);
        return copy[..count];
    }
}
