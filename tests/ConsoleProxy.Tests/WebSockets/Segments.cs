using System.Buffers;

namespace ConsoleProxy.Tests.WebSockets;

/// <summary>A byte sequence cut into segments at given offsets, as a pipe hands over data that arrived in pieces.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(ReadOnlyMemory<byte> data, params int[] cuts)
    {
        var bounds = cuts.Where(cut => cut > 0 && cut < data.Length).Distinct().Order().Append(data.Length).ToList();
        var first = new Segments(data[..bounds[0]], 0);
        var last = first;
        for (var i = 1; i < bounds.Count; i++)
        {
            var next = new Segments(data[bounds[i - 1]..bounds[i]], bounds[i - 1]);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
